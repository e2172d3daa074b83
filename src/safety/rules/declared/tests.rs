use super::*;

fn at(text: &str, needle: &str) -> usize {
    text.find(needle).expect("needle in text")
}

/// A template of `n` documented options, commented out, and `active` active settings.
fn template(n: usize, active: usize, secret: &str) -> String {
    let mut text = String::from("Setup do |config|\n  # The signing key; change it below.\n");
    text.push_str(&format!("  {secret}\n"));
    for i in 0..n {
        text.push_str(&format!(
            "  # What option {i} does.\n  # config.option_{i} = {i}\n"
        ));
    }
    for i in 0..active {
        text.push_str(&format!("  config.active_{i} = {i}\n"));
    }
    text.push_str("end\n");
    text
}

#[test]
fn assignment_keys_are_read_from_each_syntax() {
    assert_eq!(
        assignment_key(b"config.secret_key = 'x'"),
        Some(&b"config.secret_key"[..])
    );
    assert_eq!(
        assignment_key(b"play.crypto.secret=\"x\""),
        Some(&b"play.crypto.secret"[..])
    );
    assert_eq!(
        assignment_key(b"secret_key_base: abc"),
        Some(&b"secret_key_base"[..])
    );
    assert_eq!(assignment_key(b"if a == b"), None);
    assert_eq!(assignment_key(b"The key used by the library."), None);
    assert_eq!(assignment_key(b"export PASSWORD='x'"), None);
    assert_eq!(assignment_key(b"key ="), None);
}

#[test]
fn a_template_default_needs_every_condition() {
    let secret = "# config.secret_key = 'VALUE'";
    let text = template(10, 3, secret);
    assert!(inactive_template_default(
        text.as_bytes(),
        at(&text, "VALUE")
    ));
    // Too few commented settings, or more active than commented ones: an ordinary file.
    let few = template(8, 0, secret);
    assert!(!inactive_template_default(
        few.as_bytes(),
        at(&few, "VALUE")
    ));
    // Keyword arguments of a call are not the template's settings: a dozen of them leave it a template.
    let args = "  client name: :a,\n    discovery: true,\n    scope: :openid,\n".repeat(6);
    let call = template(10, 3, secret).replace("end\n", &format!("{args}end\n"));
    assert!(inactive_template_default(
        call.as_bytes(),
        at(&call, "VALUE")
    ));
    let busy = template(10, 12, secret);
    assert!(!inactive_template_default(
        busy.as_bytes(),
        at(&busy, "VALUE")
    ));
    // The line active.
    let active = template(10, 3, "config.secret_key = 'VALUE'");
    assert!(!inactive_template_default(
        active.as_bytes(),
        at(&active, "VALUE")
    ));
    // The same key set again, or switched between commented alternatives.
    let twice = template(10, 3, secret).replace("end\n", "  config.secret_key = ENV['K']\nend\n");
    assert!(!inactive_template_default(
        twice.as_bytes(),
        at(&twice, "VALUE")
    ));
    let switch = template(10, 3, secret).replace("end\n", "  # config.secret_key = 'OTHER'\nend\n");
    assert!(!inactive_template_default(
        switch.as_bytes(),
        at(&switch, "VALUE")
    ));
    // No prose above it.
    let bare = template(10, 3, secret).replace("  # The signing key; change it below.\n", "");
    assert!(!inactive_template_default(
        bare.as_bytes(),
        at(&bare, "VALUE")
    ));
}

#[test]
fn a_block_heading_covers_its_direct_members_only() {
    let text = "# Only used in our local environment.\nkeys {\n  key = \"VALUE\"\n  inner {\n    deep = \"DEEP\"\n  }\n}\n";
    assert!(block_declared_local(text.as_bytes(), at(text, "VALUE")));
    assert!(!block_declared_local(text.as_bytes(), at(text, "DEEP")));
    let other = text.replace(
        "Only used in our local environment.",
        "Keys of the service.",
    );
    assert!(!block_declared_local(other.as_bytes(), at(&other, "VALUE")));
    let top = "# local development only\nkey = \"VALUE\"\n";
    assert!(!block_declared_local(top.as_bytes(), at(top, "VALUE")));
    let ruby = "# for local development only\nSeeds.each do |s|\n  s.password = \"VALUE\"\nend\n";
    assert!(block_declared_local(ruby.as_bytes(), at(ruby, "VALUE")));
}
