use super::*;

fn found(path: &str, text: &[u8]) -> Vec<(usize, String)> {
    statements_in(path, text)
}

#[test]
fn a_readme_paragraph_outside_any_licence_section_is_read() {
    let f = found(
        "README.md",
        b"# widget\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, 3);
}

/// Not a test: the measurement of this search on real mirrors. `STATEMENTS_MIRRORS` names a file of
/// `<name>\t<git dir>` lines; every statement found is printed as `<name>\t<file>:<line>\t<text>`.
#[test]
#[ignore = "a measurement over local mirrors, run by hand"]
fn measure_statements_on_mirrors() {
    let Ok(list) = std::env::var("STATEMENTS_MIRRORS") else {
        return;
    };
    let list = std::fs::read_to_string(list).expect("mirror list");
    for row in list.lines() {
        let Some((name, dir)) = row.split_once('\t') else {
            continue;
        };
        let Ok(repo) = Repository::open_bare(dir) else {
            println!("{name}\tERROR\tcannot open");
            continue;
        };
        let Ok(tips) = crate::license::refs::pushed_tips(&repo) else {
            continue;
        };
        let started = std::time::Instant::now();
        let found = search(&repo, &tips, &StatementLimits::default());
        for s in &found.found {
            println!(
                "{name}\t{}:{} ({})\t{}",
                s.file, s.line, s.reference, s.text
            );
        }
        println!(
            "{name}\tSUMMARY\tblobs={} found={} ms={} incomplete={:?}",
            found.blobs_read,
            found.found.len(),
            started.elapsed().as_millis(),
            found.incomplete
        );
    }
}
