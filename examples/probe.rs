use askalono::{ScanMode, ScanStrategy, TextData};
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let store = keepopen::license::store::load().unwrap();
    eprintln!("load {:?} n={}", t.elapsed(), store.len());
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let td = TextData::new(&text);
        let t = Instant::now();
        let m = store.analyze(&td);
        let a = t.elapsed();
        let t = Instant::now();
        let st = ScanStrategy::new(&store)
            .mode(ScanMode::Elimination)
            .confidence_threshold(0.8)
            .optimize(true)
            .max_passes(5);
        let r = st.scan(&td).unwrap();
        let b = t.elapsed();
        let cont: Vec<_> = r
            .containing
            .iter()
            .map(|c| format!("{}:{:.3}@{:?}", c.license.name, c.score, c.line_range))
            .collect();
        println!(
            "{:<60} top={} {:.3} ({:?}) | optim {:?} {:?}",
            path.rsplit('/').next().unwrap(),
            m.name,
            m.score,
            a,
            b,
            cont
        );
    }
}
