//! The page itself: `index.html` from the vanished repositories, with its stylesheet and script inlined (pure).

use chrono::{DateTime, Utc};

use super::{Decided, Vanished, buckets, chart_svg, redirects};

const PAGE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// HTML-escape text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole `index.html`.
pub fn render_index(vanished: &[Vanished], watched: usize, generated: DateTime<Utc>) -> String {
    render_index_with_backlog(vanished, watched, None, generated)
}

/// [`render_index`], with the proposal backlog when `propose` has run.
pub fn render_index_with_backlog(
    vanished: &[Vanished],
    watched: usize,
    backlog: Option<&crate::state::Backlog>,
    generated: DateTime<Utc>,
) -> String {
    let backlog = backlog.map(backlog_figures).unwrap_or_default();
    let mut rows: String = vanished.iter().map(row).collect();
    if vanished.is_empty() {
        rows.push_str("<tr><td colspan=\"6\">No watched repository has vanished.</td></tr>\n");
    }
    let dates: Vec<DateTime<Utc>> = vanished
        .iter()
        .filter(|v| v.status != "legal-block")
        .filter_map(|v| v.vanished_at)
        .collect();
    let data = serde_json::json!({
        "generated": generated,
        "redirects": redirects(vanished),
    });
    // `</` inside a script element would end it.
    let data = data.to_string().replace("</", "<\\/");
    let republished = vanished.iter().filter(|v| v.republished.is_some()).count();
    PAGE.replace("{{CSS}}", CSS)
        .replace("{{JS}}", JS)
        .replace("{{WATCHED}}", &watched.to_string())
        .replace("{{VANISHED}}", &vanished.len().to_string())
        .replace("{{REPUBLISHED}}", &republished.to_string())
        .replace("{{BACKLOG}}", &backlog)
        .replace("{{CHART}}", &chart_svg(&buckets(&dates)))
        .replace("{{ROWS}}", &rows)
        .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
        .replace(
            "{{GENERATED}}",
            &generated.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
        .replace("{{DATA}}", &data)
}

/// The page's figures of the proposal backlog, when `propose` has run.
fn backlog_figures(backlog: &crate::state::Backlog) -> String {
    let Some(last) = backlog.runs.last() else {
        return String::new();
    };
    let clears = match (last.waiting, backlog.clears_at()) {
        (0, _) => String::new(),
        (_, Some(at)) => format!(
            "<br><small>should clear by {}</small>",
            at.format("%Y-%m-%d")
        ),
        (_, None) => "<br><small>not draining</small>".into(),
    };
    format!(
        "\n<div class=\"figure\"><strong id=\"count-in-proposals\">{}</strong> in open proposals</div>\n\
         <div class=\"figure\"><strong id=\"count-waiting\">{}</strong> waiting to be proposed{clears}</div>",
        last.in_proposals, last.waiting
    )
}

/// One vanished repository's row of the table.
fn row(v: &Vanished) -> String {
    let when = v
        .vanished_at
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "unknown".into());
    let link = |url: &str, text: &str| {
        if url.is_empty() {
            escape(text)
        } else {
            format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
        }
    };
    let former = if v.former_names.is_empty() {
        String::new()
    } else {
        format!(
            "<br><small>formerly {}</small>",
            escape(&v.former_names.join(", "))
        )
    };
    let target = match &v.republished {
        Some(r) => format!(
            "{}<br><small>last seen <code>{}</code></small>",
            link(&r.url, &r.url),
            escape(r.last_seen_commit.get(..12).unwrap_or(&r.last_seen_commit))
        ),
        None => match &v.decision {
            Some(d) if d.status == "proposed" => {
                "not republished<br><small>proposed, awaiting a maintainer's approval</small>"
                    .into()
            }
            _ => "not republished".into(),
        },
    };
    let target = match &v.decision {
        Some(Decided {
            pull_request: Some(number),
            approved_by,
            ..
        }) if v.republished.is_some() && !approved_by.is_empty() => format!(
            "{target}<br><small>approved by {} in proposal #{number}</small>",
            escape(
                &approved_by
                    .iter()
                    .map(|a| format!("@{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ),
        _ => target,
    };
    format!(
        "<tr data-repo=\"{name}\"><td>{repo}{former}</td><td>{when}</td><td>{status}</td><td>{license}</td><td class=\"verdict-{verdict_class}\">{verdict}</td><td>{target}</td></tr>\n",
        name = escape(&v.full_name),
        repo = link(&v.original_url, &v.full_name),
        status = escape(&v.status),
        license = escape(&v.license),
        verdict_class = escape(&v.verdict.replace(' ', "-")),
        verdict = escape(&v.verdict),
    )
}
