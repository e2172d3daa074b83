use askalono::TextData;
fn main() {
    let store = keepopen::license::store::load().unwrap();
    let mit = std::fs::read_to_string("licenses/text/MIT.txt")
        .unwrap()
        .replace(
            "<year> <copyright holders>",
            "2021 Crown Copyright NHS England",
        );
    let ogl = std::fs::read_to_string("licenses/text/OGL-UK-3.0.txt").unwrap();
    let text = format!(
        "# MIT Licence\n\n{mit}\n\n# Open Government Licence\n\nThe documentation is © Crown copyright and available under the terms of the Open Government Licence v3.0.\n\n{ogl}"
    );
    let data = TextData::new(&text);
    println!("lines {}", data.lines_view().1);
    let mut current = data.clone();
    for _ in 0..4 {
        let found = store.analyze(&current);
        let (narrowed, score) = current.optimize_bounds(found.data);
        println!(
            "top {} {:.3} -> narrowed {:?} {:.3}",
            found.name,
            found.score,
            narrowed.lines_view(),
            score
        );
        if score < 0.8 {
            break;
        }
        current = narrowed.white_out();
    }
    let mitd = TextData::new(&mit);
    println!("mit alone vs store {:?}", store.analyze(&mitd).score);
    println!(
        "mit section {:.3}",
        data.with_view(0, 25)
            .match_score(store.get_original("MIT").unwrap())
    );
}
