//! `keepopen report --html`: the status page, a static site for GitHub Pages (or any folder opened from disk).
//!
//! From the state's records it lists every watched repository that vanished (removed, blocked, or removed and
//! since restored): when, its licence and verdict, and where it was republished; a chart of removals over time
//! (inline SVG, drawn here); and a lookup box that finds the republished copy of an old URL, from JSON embedded in
//! the page (no CDN, no fetch: it works from `file://`). Next to the page, `redirects.json` maps each original URL
//! (and former names) to the republished URL with the last-seen commit, so that others can fix links in bulk.
//!
//! Everything that decides what the page says is a pure function over records ([`collect`], [`redirects`],
//! [`buckets`], [`chart_svg`], [`render_index`]); [`write_site`] is the edge that reads state and writes files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::record::{DecisionRecord, RecordStatus};
use crate::state::{RepoRecord, Status, Store};

const PAGE: &str = include_str!("report/page.html");
const CSS: &str = include_str!("report/page.css");
const JS: &str = include_str!("report/page.js");

/// The licence and verdict of a repository, from a check of its mirror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub license: String,
    pub verdict: String,
}

/// Where a vanished repository was republished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Republished {
    /// A browsable URL: the GitHub page, or `file://` for a local forge.
    pub url: String,
    pub last_seen_commit: String,
    pub notice_commit: String,
    pub published_at: DateTime<Utc>,
}

/// One vanished repository, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Vanished {
    pub id: u64,
    pub full_name: String,
    pub former_names: Vec<String>,
    pub original_url: String,
    /// When it was found gone (confirmed removal, legal block); `None` if state does not say.
    pub vanished_at: Option<DateTime<Utc>>,
    /// `removed`, `legal-block` or `restored`.
    pub status: String,
    /// The licence expression, `none` when the check found none, `unknown` when not checked.
    pub license: String,
    pub verdict: String,
    pub republished: Option<Republished>,
    /// What the control repository's decision record says, when the site was written with the records.
    pub decision: Option<Decided>,
}

/// A vanished repository's decision record, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Decided {
    /// `proposed`, `published` or `restored`.
    pub status: String,
    /// The approving pull request, once published.
    pub pull_request: Option<u64>,
    pub approved_by: Vec<String>,
}

/// One entry of `redirects.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Redirect {
    pub repo: String,
    pub url: String,
    pub last_seen_commit: String,
}

/// What [`write_site`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SiteSummary {
    pub index: PathBuf,
    pub redirects: PathBuf,
    pub watched: usize,
    pub vanished: usize,
    pub republished: usize,
}

/// The statuses that mean a repository vanished at some point.
fn status_name(status: Status) -> Option<&'static str> {
    match status {
        Status::Removed => Some("removed"),
        Status::LegalBlock => Some("legal-block"),
        Status::Restored => Some("restored"),
        Status::Present | Status::Suspected | Status::Renamed => None,
    }
}

/// A browsable URL for a publication's target: a GitHub clone URL without `.git`, a local path as `file://`.
pub fn browsable(target_url: &str) -> String {
    if target_url.starts_with("https://") || target_url.starts_with("http://") {
        target_url.trim_end_matches(".git").to_owned()
    } else if target_url.starts_with("file://") {
        target_url.to_owned()
    } else {
        format!("file://{target_url}")
    }
}

/// The key an old URL is looked up by: lower case, no scheme, no `www.`, no query, no trailing `/` or `.git`,
/// and for GitHub only `github.com/owner/repo` (so deep links into a repository find it too).
/// `page.js` does the same in the browser.
pub fn normalise_url(url: &str) -> String {
    let mut u = url.trim().to_lowercase();
    if let Some(cut) = u.find(['?', '#']) {
        u.truncate(cut);
    }
    if let Some(at) = u.find("://")
        && u[..at]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        && !u[..at].is_empty()
    {
        u = u[at + 3..].to_owned();
    }
    if let Some(rest) = u.strip_prefix("www.") {
        u = rest.to_owned();
    }
    let mut u = u.trim_end_matches('/').to_owned();
    if let Some(rest) = u.strip_suffix(".git") {
        u = rest.trim_end_matches('/').to_owned();
    }
    if u.starts_with("github.com/") {
        u = u.split('/').take(3).collect::<Vec<_>>().join("/");
    }
    u
}

/// The vanished repositories among `records`, most recent first; `judged` gives licence and verdict by id.
pub fn collect(records: &[RepoRecord], judged: &BTreeMap<u64, Judged>) -> Vec<Vanished> {
    let mut out: Vec<Vanished> = records
        .iter()
        .filter_map(|r| {
            let status = status_name(r.status)?;
            let publication = r.publications.last();
            let (license, verdict) = match (judged.get(&r.id), publication) {
                (Some(j), _) => (j.license.clone(), j.verdict.clone()),
                (None, Some(p)) => (
                    r.api_license
                        .as_ref()
                        .and_then(|l| l.spdx_id.clone())
                        .unwrap_or_else(|| "unknown".into()),
                    p.verdict.clone(),
                ),
                (None, None) => (
                    r.api_license
                        .as_ref()
                        .and_then(|l| l.spdx_id.clone())
                        .unwrap_or_else(|| "unknown".into()),
                    "not checked".into(),
                ),
            };
            Some(Vanished {
                id: r.id,
                full_name: r.full_name.clone(),
                former_names: r.former_names.clone(),
                original_url: r.html_url.clone(),
                vanished_at: r
                    .removal_confirmed_at
                    .or(r.legal_block.as_ref().map(|b| b.seen_at))
                    .or(r.suspicion.first_at),
                status: status.into(),
                license,
                verdict,
                republished: publication.map(|p| Republished {
                    url: browsable(&p.target_url),
                    last_seen_commit: p.last_seen_commit.clone(),
                    notice_commit: p.notice_commit.clone(),
                    published_at: p.published_at,
                }),
                decision: None,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.vanished_at
            .cmp(&a.vanished_at)
            .then(a.full_name.cmp(&b.full_name))
    });
    out
}

/// `redirects.json`: every original URL (the recorded one, and `https://github.com/<former name>` for each former
/// name) of a republished repository, by its [`normalise_url`] key.
pub fn redirects(vanished: &[Vanished]) -> BTreeMap<String, Redirect> {
    let mut out = BTreeMap::new();
    for v in vanished {
        let Some(r) = &v.republished else { continue };
        let redirect = Redirect {
            repo: v.full_name.clone(),
            url: r.url.clone(),
            last_seen_commit: r.last_seen_commit.clone(),
        };
        let mut urls = vec![v.original_url.clone()];
        urls.push(format!("https://github.com/{}", v.full_name));
        urls.extend(
            v.former_names
                .iter()
                .map(|n| format!("https://github.com/{n}")),
        );
        for url in urls {
            let key = normalise_url(&url);
            if !key.is_empty() {
                out.entry(key).or_insert_with(|| redirect.clone());
            }
        }
    }
    out
}

/// Removals counted per day when they span at most 62 days, else per month; every bucket between the first
/// and the last is present (zeros included), labelled `YYYY-MM-DD` or `YYYY-MM`.
pub fn buckets(dates: &[DateTime<Utc>]) -> Vec<(String, usize)> {
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    let (first, last) = (first.date_naive(), last.date_naive());
    let daily = (last - first).num_days() <= 62;
    let key = |d: NaiveDate| {
        if daily {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.format("%Y-%m").to_string()
        }
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut day = first;
    while day <= last {
        counts.entry(key(day)).or_insert(0);
        day = if daily {
            day.succ_opt().unwrap_or(last + chrono::Days::new(1))
        } else {
            NaiveDate::from_ymd_opt(
                day.year() + i32::from(day.month() == 12),
                day.month() % 12 + 1,
                1,
            )
            .unwrap_or(last + chrono::Days::new(1))
        };
    }
    for d in dates {
        *counts.entry(key(d.date_naive())).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// A bar chart of `buckets` as inline SVG, each bar with a `<title>` tooltip.
pub fn chart_svg(buckets: &[(String, usize)]) -> String {
    if buckets.is_empty() {
        return "<p id=\"chart-empty\">No removals recorded yet.</p>".into();
    }
    let (width, height, left, bottom, top) = (720.0_f64, 240.0_f64, 36.0, 40.0, 12.0);
    let max = buckets.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - top;
    let slot = plot_w / buckets.len() as f64;
    let bar_w = (slot * 0.7).clamp(1.0, 48.0);
    let mut svg = format!(
        "<svg id=\"removals-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Removals over time\">\n"
    );
    let base = height - bottom;
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>\n<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\"/>\n",
        width - 8.0
    ));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\n",
        left - 4.0,
        top + 10.0,
        max as usize,
        left - 4.0,
        base
    ));
    let label_every = (buckets.len() / 8).max(1);
    for (i, (label, count)) in buckets.iter().enumerate() {
        let h = (*count as f64 / max) * plot_h;
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\"><title>{}: {count} removal(s)</title></rect>\n",
            base - h,
            escape(label)
        ));
        if i % label_every == 0 {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                x + bar_w / 2.0,
                base + 16.0,
                escape(label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

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

/// The proposal backlog in words, for `keepopen status` (pure): how many candidates wait, how many are in open
/// proposals, and when the backlog should clear at the pace of the last runs.
pub fn backlog_line(
    backlog: &crate::state::Backlog,
    last: &crate::state::ProposeRun,
    now: DateTime<Utc>,
) -> String {
    let clears = match (last.waiting, backlog.clears_at()) {
        (0, _) => "nothing waits".to_owned(),
        (_, Some(at)) if at > now => format!(
            "at this pace the backlog clears around {}",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (_, Some(_)) => {
            "at this pace the backlog should have cleared by now: is `propose` running?".into()
        }
        (_, None) => "no pace yet: the backlog has not moved since the last runs".into(),
    };
    format!(
        "proposals: {} candidate(s) wait to be proposed, {} in open proposals (propose ran {}); {clears}",
        last.waiting,
        last.in_proposals,
        last.at.format("%Y-%m-%d %H:%M UTC")
    )
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
    let backlog = backlog
        .and_then(|b| Some((b, b.runs.last()?)))
        .map(|(b, last)| {
            let clears = match (last.waiting, b.clears_at()) {
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
        })
        .unwrap_or_default();
    let mut rows = String::new();
    for v in vanished {
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
        rows.push_str(&format!(
            "<tr data-repo=\"{name}\"><td>{repo}{former}</td><td>{when}</td><td>{status}</td><td>{license}</td><td class=\"verdict-{verdict_class}\">{verdict}</td><td>{target}</td></tr>\n",
            name = escape(&v.full_name),
            repo = link(&v.original_url, &v.full_name),
            status = escape(&v.status),
            license = escape(&v.license),
            verdict_class = escape(&v.verdict.replace(' ', "-")),
            verdict = escape(&v.verdict),
        ));
    }
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

/// Attach each decision record to the vanished repository it names (by id); a record's publication fills in
/// where the state knows none (pure).
pub fn attach_decisions(vanished: &mut [Vanished], decisions: &[DecisionRecord]) {
    for v in vanished.iter_mut() {
        let Some(record) = decisions.iter().find(|d| d.source.id == v.id) else {
            continue;
        };
        let status = match record.status {
            RecordStatus::Proposed => "proposed",
            RecordStatus::Published => "published",
            RecordStatus::Restored => "restored",
        };
        v.decision = Some(Decided {
            status: status.into(),
            pull_request: record.publication.as_ref().map(|p| p.pull_request),
            approved_by: record
                .publication
                .as_ref()
                .map(|p| p.approved_by.clone())
                .unwrap_or_default(),
        });
        if v.republished.is_none()
            && let Some(p) = &record.publication
        {
            v.republished = Some(Republished {
                url: browsable(&p.target_url),
                last_seen_commit: record.mirror.head.clone().unwrap_or_default(),
                notice_commit: p.notice_commit.clone(),
                published_at: p.at,
            });
        }
    }
}

/// Read the records of `store`, and write `index.html` and `redirects.json` into `dir` (created if missing).
/// `judged` gives licence and verdict by repository id where a check was run.
pub fn write_site(
    store: &Store,
    dir: &Path,
    judged: &BTreeMap<u64, Judged>,
    now: DateTime<Utc>,
) -> anyhow::Result<SiteSummary> {
    write_site_with_decisions(store, dir, judged, None, now)
}

/// [`write_site`], with the decision records of `records_dir` (the control checkout's `approval.records`) when
/// given: who approved each publication in which proposal, and which proposals await approval.
pub fn write_site_with_decisions(
    store: &Store,
    dir: &Path,
    judged: &BTreeMap<u64, Judged>,
    records_dir: Option<&Path>,
    now: DateTime<Utc>,
) -> anyhow::Result<SiteSummary> {
    let records = store.list()?;
    let mut vanished = collect(&records, judged);
    if let Some(records_dir) = records_dir {
        let decisions = crate::record::list(records_dir)?
            .iter()
            .map(|path| DecisionRecord::load(path))
            .collect::<anyhow::Result<Vec<_>>>()?;
        attach_decisions(&mut vanished, &decisions);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let index = dir.join("index.html");
    crate::state::write_atomic(
        &index,
        render_index_with_backlog(&vanished, records.len(), Some(&store.backlog()?), now)
            .as_bytes(),
    )?;
    let redirects_path = dir.join("redirects.json");
    let mut json = serde_json::to_string_pretty(&redirects(&vanished))?;
    json.push('\n');
    crate::state::write_atomic(&redirects_path, json.as_bytes())?;
    // GitHub Pages would otherwise run Jekyll over the folder.
    crate::state::write_atomic(&dir.join(".nojekyll"), b"")?;
    Ok(SiteSummary {
        index,
        redirects: redirects_path,
        watched: records.len(),
        republished: vanished.iter().filter(|v| v.republished.is_some()).count(),
        vanished: vanished.len(),
    })
}

/// Check the mirrors of the vanished repositories of `records` (the licence engine on git objects, as
/// `keepopen check` does), for [`write_site`]. A repository without a mirror is left out.
pub async fn judge_vanished(
    records: &[RepoRecord],
    archive: &Path,
    policy: std::sync::Arc<crate::policy::Policy>,
) -> anyhow::Result<BTreeMap<u64, Judged>> {
    let mut paths = Vec::new();
    let mut ids = BTreeMap::new();
    for r in records {
        if status_name(r.status).is_none() {
            continue;
        }
        let Some(mirror) = r.mirror.as_ref().filter(|m| m.fetched_at.is_some()) else {
            continue;
        };
        let path = crate::archive::resolve(archive, &mirror.path)?;
        if path.join("HEAD").exists() {
            ids.insert(path.display().to_string(), r.id);
            paths.push(path);
        }
    }
    let safety = policy.safety.clone();
    let checks = crate::check::check_all(paths, policy, 2, |_| {}).await;
    // The sensitive-content gate, as for a publication: findings hold an allowed verdict back.
    let checks = tokio::task::spawn_blocking(move || {
        checks
            .into_iter()
            .map(|mut c| {
                if let Some(decision) = c.verdict.verdict().cloned() {
                    let gated = match crate::safety::scan_path(Path::new(&c.repo), &c.name, &safety)
                    {
                        Ok(report) => crate::safety::gate_verdict(decision, &report),
                        Err(e) => {
                            tracing::warn!("{}: cannot scan: {e:#}", c.name);
                            decision
                        }
                    };
                    c.verdict = crate::check::Judgement::Judged(gated);
                }
                c
            })
            .collect::<Vec<_>>()
    })
    .await
    .context("the scan task panicked")?;
    Ok(checks
        .into_iter()
        .filter_map(|c| {
            let id = *ids.get(&c.repo)?;
            let license = if c.verdict.error().is_some() {
                "unknown".to_owned()
            } else if c.expression.is_empty() {
                "none".to_owned()
            } else {
                c.expression.clone()
            };
            Some((
                id,
                Judged {
                    license,
                    verdict: c.verdict.name().to_owned(),
                },
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::PublicationRecord;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_row_names_its_approvers_or_says_it_awaits_approval() {
        let vanished = |name: &str, republished: bool, decision: Option<Decided>| Vanished {
            id: 1,
            full_name: format!("o/{name}"),
            former_names: Vec::new(),
            original_url: format!("https://github.com/o/{name}"),
            vanished_at: None,
            status: "removed".into(),
            license: "MIT".into(),
            verdict: "allowed".into(),
            republished: republished.then(|| Republished {
                url: format!("https://github.com/keep/o--{name}"),
                last_seen_commit: "a".repeat(40),
                notice_commit: "b".repeat(40),
                published_at: at("2026-01-01T00:00:00Z"),
            }),
            decision,
        };
        let decided = |status: &str, pull_request: Option<u64>, approved_by: &[&str]| Decided {
            status: status.into(),
            pull_request,
            approved_by: approved_by.iter().map(|a| a.to_string()).collect(),
        };
        let cases = [
            (
                vanished(
                    "a",
                    true,
                    Some(decided("published", Some(7), &["alice", "bob"])),
                ),
                Some("approved by @alice, @bob in proposal #7"),
            ),
            (
                vanished("b", false, Some(decided("proposed", None, &[]))),
                Some("proposed, awaiting a maintainer's approval"),
            ),
            (vanished("c", true, None), None),
            (vanished("d", false, None), None),
        ];
        for (v, expected) in cases {
            let page = render_index(std::slice::from_ref(&v), 1, at("2026-01-02T00:00:00Z"));
            let row = page
                .lines()
                .find(|l| l.contains(&format!("data-repo=\"{}\"", v.full_name)))
                .unwrap();
            match expected {
                Some(text) => assert!(row.contains(text), "{row}"),
                None => assert!(
                    !row.contains("approved by") && !row.contains("proposed"),
                    "{row}"
                ),
            }
        }
    }

    #[test]
    fn urls_normalise_to_one_key() {
        let cases = [
            (
                "https://github.com/NHSDigital/Foo",
                "github.com/nhsdigital/foo",
            ),
            (
                "https://github.com/nhsdigital/foo.git",
                "github.com/nhsdigital/foo",
            ),
            (
                "http://www.github.com/nhsdigital/foo/",
                "github.com/nhsdigital/foo",
            ),
            (
                "https://github.com/nhsdigital/foo/tree/main/src?x=1#L3",
                "github.com/nhsdigital/foo",
            ),
            ("  github.com/nhsdigital/foo  ", "github.com/nhsdigital/foo"),
            ("file:///tmp/forge/org/x.git", "/tmp/forge/org/x"),
            ("", ""),
        ];
        for (url, key) in cases {
            assert_eq!(normalise_url(url), key, "{url}");
        }
    }

    #[test]
    fn browsable_urls_drop_dot_git_and_mark_local_paths() {
        let cases = [
            ("https://github.com/o/r.git", "https://github.com/o/r"),
            ("/srv/published/o--r.git", "file:///srv/published/o--r.git"),
            ("file:///x", "file:///x"),
        ];
        for (target, url) in cases {
            assert_eq!(browsable(target), url);
        }
    }

    fn record(id: u64, name: &str, status: Status, removed: Option<&str>) -> RepoRecord {
        let mut r = RepoRecord::new(id, name, at("2025-01-01T00:00:00Z"));
        r.html_url = format!("https://github.com/{name}");
        r.status = status;
        r.removal_confirmed_at = removed.map(at);
        r
    }

    #[test]
    fn only_vanished_repositories_are_listed_newest_first_with_their_publication() {
        let mut published = record(1, "o/a", Status::Removed, Some("2025-03-01T10:00:00Z"));
        published.former_names = vec!["o/old-a".into()];
        published.publications.push(PublicationRecord {
            forge: "github".into(),
            name: "o--a".into(),
            target_url: "https://github.com/keep/o--a.git".into(),
            pushed: BTreeMap::new(),
            notice_commit: "n".repeat(40),
            last_seen_commit: "c".repeat(40),
            verdict: "allowed".into(),
            override_reason: None,
            force_public_reason: None,
            force_reason: None,
            wiki_url: None,
            published_at: at("2025-03-02T00:00:00Z"),
        });
        let records = vec![
            published,
            record(2, "o/b", Status::Removed, Some("2025-04-01T10:00:00Z")),
            record(3, "o/c", Status::Present, None),
            record(4, "o/d", Status::Suspected, None),
        ];
        let judged = BTreeMap::from([(
            2,
            Judged {
                license: "none".into(),
                verdict: "forbidden".into(),
            },
        )]);
        let vanished = collect(&records, &judged);
        let names: Vec<&str> = vanished.iter().map(|v| v.full_name.as_str()).collect();
        assert_eq!(names, ["o/b", "o/a"]);
        assert_eq!(vanished[0].verdict, "forbidden");
        assert_eq!(vanished[1].verdict, "allowed");
        assert_eq!(
            vanished[1].republished.as_ref().unwrap().url,
            "https://github.com/keep/o--a"
        );
        let map = redirects(&vanished);
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(keys, ["github.com/o/a", "github.com/o/old-a"]);
        assert_eq!(map["github.com/o/old-a"].last_seen_commit, "c".repeat(40));
        let html = render_index(&vanished, records.len(), at("2025-05-01T00:00:00Z"));
        assert!(html.contains("<tr data-repo=\"o/a\">"));
        assert!(html.contains("id=\"removals-chart\""));
        assert!(!html.contains("{{"), "a placeholder was left");
    }

    #[test]
    fn buckets_are_daily_for_short_spans_and_monthly_for_long_ones() {
        let days = buckets(&[
            at("2025-03-01T10:00:00Z"),
            at("2025-03-03T09:00:00Z"),
            at("2025-03-03T11:00:00Z"),
        ]);
        assert_eq!(
            days,
            vec![
                ("2025-03-01".into(), 1),
                ("2025-03-02".into(), 0),
                ("2025-03-03".into(), 2)
            ]
        );
        let months = buckets(&[at("2024-11-20T00:00:00Z"), at("2025-02-01T00:00:00Z")]);
        assert_eq!(
            months,
            vec![
                ("2024-11".into(), 1),
                ("2024-12".into(), 0),
                ("2025-01".into(), 0),
                ("2025-02".into(), 1)
            ]
        );
        assert!(buckets(&[]).is_empty());
    }

    #[test]
    fn the_chart_has_one_bar_per_bucket_scaled_to_the_largest() {
        let svg = chart_svg(&[("a".into(), 2), ("b".into(), 0), ("c<".into(), 4)]);
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3);
        assert!(svg.contains("c&lt;: 4 removal(s)"));
        assert!(svg.contains("height=\"188.0\""), "{svg}");
        assert!(chart_svg(&[]).contains("No removals"));
    }

    #[test]
    fn script_data_cannot_close_its_element() {
        let mut v = collect(
            &[record(
                1,
                "o/x",
                Status::Removed,
                Some("2025-01-02T00:00:00Z"),
            )],
            &BTreeMap::new(),
        );
        v[0].full_name = "o/</script><b>".into();
        v[0].republished = Some(Republished {
            url: "file:///p".into(),
            last_seen_commit: "c".into(),
            notice_commit: "n".into(),
            published_at: at("2025-01-03T00:00:00Z"),
        });
        let html = render_index(&v, 1, at("2025-01-04T00:00:00Z"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the two real closings"
        );
    }
}
