//! `*.csproj`: `<PackageLicenseExpression>`, `<PackageLicenseFile>`, `<PackageLicenseUrl>`.

use super::*;

/// `*.csproj`: `<PackageLicenseExpression>`, `<PackageLicenseFile>`, the deprecated `<PackageLicenseUrl>`.
pub(super) fn from_csproj(text: &str) -> Found {
    let document = match roxmltree::Document::parse(text) {
        Ok(document) => document,
        Err(error) => return xml_by_pattern(text, "PackageLicenseExpression", &error),
    };
    let mut found = Vec::new();
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let value = xml_text(node);
        if value.is_empty() {
            continue;
        }
        let line = xml_line(&document, node);
        match node.tag_name().name() {
            "PackageLicenseExpression" => {
                found.push(declared(&value, line, license_from_name(&value)))
            }
            "PackageLicenseFile" => found.push(declared(&value, line, Mapping::pointer(&value))),
            "PackageLicenseUrl" => found.push(declared(
                &value,
                line,
                license_from_url(&value).with_note("deprecated PackageLicenseUrl"),
            )),
            _ => {}
        }
    }
    found
}
