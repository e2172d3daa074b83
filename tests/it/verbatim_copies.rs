//! No-derivatives terms in a bundled file (issue 21): a schema or document whose notice permits copies and
//! distribution but says the document itself may not be modified. keepopen republishes history unchanged, so
//! such terms are met, as CC BY-ND's are: the file is under no-derivatives terms, allowed with the condition
//! "no changes to the tree". A notice that forbids distribution, or limits copying to a purpose, stays
//! restrictive.
//!
//! Real git repositories built in the test.

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::check_fixture;

const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");

/// A code-list schema's notice, in our own words, of the kind standards bodies put on their schemas.
const SCHEMA: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--\nCode list: Currency codes\nAgency: Example Standards Body\n\nCopyright (C) Example Standards Body (2011). All Rights Reserved.\n\nThis document and translations of it may be copied and furnished to others,\nand works that explain it or assist in its implementation may be prepared,\ncopied, published and distributed, in whole or in part, without restriction\nof any kind, provided that the above copyright notice and this paragraph are\nincluded on all such copies. However, this document itself may not be modified\nin any way, such as by removing the copyright notice, except as required to\ntranslate it into other languages.\n-->\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:simpleType name=\"Code\"><xs:restriction base=\"xs:string\"/></xs:simpleType>\n</xs:schema>\n";

fn check_with(schema: &str) -> keepopen::check::RepoCheck {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", APACHE)
            .file("app/Main.scala", "object Main\n")
            .file("conf/schemas/codes/CurrencyCode.xsd", schema),
    );
    fx.set_head("main");
    check_fixture(&fx)
}

#[test]
fn a_notice_permitting_copies_but_not_modification_is_allowed_with_no_changes_to_the_tree() {
    let result = check_with(SCHEMA);
    assert_eq!(
        result.verdict.to_string(),
        "allowed",
        "{:#?}",
        result.verdict.reasons()
    );
    let conditions: Vec<String> = result
        .verdict
        .conditions()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        conditions
            .iter()
            .any(|c| c.to_lowercase().contains("unchanged")
                || c.to_lowercase().contains("no changes")),
        "{conditions:#?}"
    );
}

#[test]
fn a_notice_that_forbids_distribution_or_limits_copies_to_a_purpose_stays_restrictive() {
    for changed in [
        SCHEMA.replace("may not be modified", "may not be distributed or modified"),
        SCHEMA.replace(
            "may be copied and furnished to others,",
            "may be copied and furnished to others for internal purposes only,",
        ),
        SCHEMA
            .replace(
                "may be copied and furnished to others,",
                "may be copied and furnished to members of the Body,",
            )
            .replace("copied, published and distributed", "read"),
        SCHEMA.replace(
            "However, this document itself may not be modified",
            "This document may not be sold. However, this document itself may not be modified",
        ),
    ] {
        let result = check_with(&changed);
        assert_eq!(
            result.verdict.to_string(),
            "needs-review",
            "{changed}\n{:#?}",
            result.verdict.reasons()
        );
    }
}
