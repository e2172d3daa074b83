//! The element keys a component compiler writes into a render function. Stencil (and any virtual-DOM compiler
//! that keys elements by a hash) turns every element of a template into a call `h(<tag>, { key: "<sha1>", … },
//! …children)`: the first argument is the element (a tag name in quotes, `"div"`, `"calcite-icon"`, or a
//! component or fragment, `Host`, `i.FK`), the second its properties, and the compiler puts `key` first, a 40-digit
//! lower-case hex hash that tells the renderer which element is which between renders. Minified bundles keep
//! the shape (`(0,i.h)("div",{key:"…"`), and `generic-api-key` reads every such `key:"…"` as a key.
//!
//! [`is_render_key`] decides by that structure, whatever the file is called: the value is 40 lower-case hex
//! digits; it is the **first** property, `key`, of an object literal that is the **second argument of a call
//! whose first argument is an element** (a quoted tag name or an identifier path); and the file holds at least
//! one more such call with a **different** key — a render tree, not one call. A real secret under `key:` in any
//! other place — an object that is not a call's props, a call whose first argument is a URL or a variable
//! holding one (`fetch("https://…", {key: …})` fails the tag-name shape), or a lone call (`client("users",
//! {key: "…"})` once, or with the same key every time) — is still judged as it stands.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::bytes::Regex;

/// A render call's opening up to its props' `key` (group 1 is the key).
static RENDER_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"[\w$)\]]\s*\(\s*(?:"[a-z][a-z0-9-]*"|'[a-z][a-z0-9-]*'|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*,\s*\{\s*(?:key|"key"|'key')\s*:\s*["'`]([0-9a-f]{40})["'`]"#,
    )
    .expect("render call regex")
});

/// Whether the value at `value` of `text` is a compiler's element key in a render call (see the module's
/// documentation).
pub(crate) fn is_render_key(text: &[u8], value: Range<usize>) -> bool {
    let v = &text[value.clone()];
    if v.len() != 40
        || !v
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    {
        return false;
    }
    // Only the calls near enough to be read once per finding: the render call itself must be right before the
    // value, and one other within the file.
    let from = value.start.saturating_sub(300);
    let own = RENDER_CALL
        .captures_iter(&text[from..(value.end + 1).min(text.len())])
        .filter_map(|c| c.get(1))
        .any(|m| from + m.start() == value.start);
    if !own {
        return false;
    }
    let mut keys = BTreeSet::new();
    for captures in RENDER_CALL.captures_iter(text) {
        if let Some(key) = captures.get(1) {
            keys.insert(key.as_bytes());
            if keys.len() >= 2 {
                return true;
            }
        }
    }
    false
}
