//! A WordPress theme's or plugin's header is that package's manifest (issue 21, "forbidden needs evidence of
//! absence"): its `License:` field declares the licence of the theme, which is the repository. Alone it is weak
//! evidence — never *allowed* — but a repository whose only licence words are that field is not one with no
//! licence anywhere, so it is *needs review*, not *forbidden*. The same words in an ordinary stylesheet's comment,
//! or outside the header, keep the scope of their own file. Each test builds a real git repository.

use crate::fixture::RepoFixture;
use crate::support::check::licence_verdict;

fn theme_header(name_field: &str) -> String {
    format!(
        "/*\n{name_field}: Example Child\nTemplate: example-base\nAuthor: A Department\nVersion: 1.0\n\
         License: GNU General Public License\nLicense URI: license.txt\n*/\n\n.site-header {{ color: #222; }}\n"
    )
}

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn php(body: &str) -> String {
    format!("<?php\n{body}\n")
}

/// A child theme whose only licence words are its `style.css` header: needs review, naming no licence grant,
/// never forbidden (seen forbidden before this change) and never allowed.
#[test]
fn a_themes_style_header_licence_is_a_declaration_for_the_theme_so_the_theme_is_not_unlicensed() {
    let fx = RepoFixture::one_commit(&[
        ("style.css", theme_header("Theme Name")),
        ("functions.php", php("add_action('init', 'example_init');")),
        ("header.php", php("get_header();")),
    ]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
}

/// A plugin's main file declares the plugin's licence the same way.
#[test]
fn a_plugins_header_licence_is_a_declaration_for_the_plugin() {
    let header = php(
        "/*\n * Plugin Name: Example Plugin\n * License: GPL-2.0-or-later\n */\nadd_action('init', 'x');",
    );
    let fx = RepoFixture::one_commit(&[
        ("example-plugin.php", header),
        ("includes/helpers.php", php("function helper() {}")),
    ]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
}

/// The other side: a theme header with no licence field declares nothing, so a theme with no licence words
/// anywhere stays forbidden, as it was.
#[test]
fn a_theme_header_without_a_licence_field_declares_nothing() {
    let no_field = RepoFixture::one_commit(&[
        (
            "style.css",
            "/*\nTheme Name: Example\nAuthor: A Department\nVersion: 1.0\n*/\n.a { color: red; }\n"
                .to_string(),
        ),
        ("functions.php", php("add_action('init', 'x');")),
    ]);
    assert_eq!(licence_verdict(&no_field).0, "forbidden");
}

/// A theme header beside a real licence file changes nothing: the licence file grants.
#[test]
fn a_theme_header_beside_an_mit_licence_leaves_the_grant_allowed() {
    let mit = MIT.replace("<year> <copyright holders>", "2020 A Department");
    let fx = RepoFixture::one_commit(&[
        ("style.css", theme_header("Theme Name")),
        ("LICENSE", mit),
        ("functions.php", php("add_action('init', 'x');")),
    ]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_ne!(verdict, "forbidden", "{reasons:#?}");
}
