use keepopen::license::{Candidate, Discovery, SourceKind};
fn main() {
    let dir = std::path::Path::new("../shared/licence-corpus");
    let labels: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join("labels.yaml")).unwrap()).unwrap();
    let det = keepopen::license::detect::Detector::embedded();
    let policy = keepopen::policy::Policy::default();
    for case in labels["cases"].as_sequence().unwrap() {
        let file = case["file"].as_str().unwrap();
        let path = case["source"]["path"].as_str().unwrap();
        let base = path.rsplit('/').next().unwrap().to_lowercase();
        let kind = if base.starts_with("readme")
            || base.ends_with(".md") && !base.starts_with("licen") && !base.starts_with("copying")
        {
            SourceKind::Readme
        } else if [
            "package.json",
            "description",
            "pyproject.toml",
            "setup.cfg",
            "setup.py",
            "cargo.toml",
        ]
        .contains(&base.as_str())
        {
            continue;
        } else if path.contains('/') {
            SourceKind::NestedLicenseFile
        } else if base.starts_with("notice") || base.starts_with("copyright") {
            SourceKind::NoticeFile
        } else {
            SourceKind::LicenseFile
        };
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(file)).unwrap()).to_string();
        let d = Discovery {
            commit: None,
            branch: None,
            candidates: vec![Candidate {
                path: path.to_string(),
                kind,
                text,
                first_line: 1,
                sha256: String::new(),
                truncated: false,
            }],
            skipped: vec![],
        };
        let r = det.detect(&d);
        let v = keepopen::verdict::judge("x/y", &r, &policy);
        let eff = keepopen::verdict::effective(&r);
        println!(
            "{:<46} want {:<28} {:<24} | got {:<28} {:<13} {}",
            &file[..file.len().min(46)],
            case["expression"].as_str().unwrap(),
            case["redistribution"].as_str().unwrap(),
            eff.expression,
            v.name(),
            v.reasons()
                .iter()
                .map(|s| s.chars().take(110).collect::<String>())
                .collect::<Vec<_>>()
                .join(" || ")
        );
    }
}
