//! The chart of removals over time: dates counted into buckets, drawn as inline SVG (pure).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::escape;

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
