//! Cargo.toml: `[package]` `license` and `license-file`.

use super::*;

pub(super) fn from_cargo(text: &str) -> Found {
    let wanted = |path: &str| {
        matches!(
            path,
            "package.license"
                | "package.license-file"
                | "package.license.workspace"
                | "workspace.package.license"
        )
    };
    let mut found = Vec::new();
    for field in toml_fields(text, &wanted) {
        match (field.path.as_str(), &field.value) {
            ("package.license" | "workspace.package.license", toml::Value::String(value)) => {
                found.push(declared(value, field.line, license_from_name(value)));
            }
            ("package.license-file", toml::Value::String(file)) => {
                found.push(declared(file, field.line, Mapping::pointer(file)))
            }
            ("package.license.workspace", toml::Value::Boolean(true)) => found.push(declared(
                "workspace = true",
                field.line,
                Mapping::unmapped("inherited from the workspace's Cargo.toml"),
            )),
            _ => {}
        }
    }
    with_defect(found, toml_defect(text))
}
