//! Recordings: audio and video tags (ID3, MP4, Vorbis comments, APE) read by `lofty`.

use super::banners::notice_holders;
use super::terms::{class_terms, push_unique, short};
use super::{AssetKind, ThirdPartyAsset};

/// Class a recording by its tags: the artist, album artist, composer, publisher or label it names are its
/// holders; its copyright and licence tags are its terms. A recording whose tags name nobody and state no
/// terms (a screen capture's encoder tag) says nothing; one that cannot be read says nothing either.
pub fn judge_media(path: &str, bytes: &[u8]) -> Option<ThirdPartyAsset> {
    use lofty::prelude::*;
    use lofty::tag::ItemKey;
    let mut cursor = std::io::Cursor::new(bytes);
    // The readers are ports of format specifications over untrusted bytes: a malformed file must not take
    // the check down with it.
    let file = std::panic::catch_unwind(move || {
        lofty::probe::Probe::new(&mut cursor)
            .guess_file_type()
            .ok()?
            .read()
            .ok()
    })
    .ok()??;
    let mut holders_found: Vec<String> = Vec::new();
    let mut terms_text: Vec<String> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for tag in file.tags() {
        for key in [
            ItemKey::TrackArtist,
            ItemKey::AlbumArtist,
            ItemKey::Composer,
            ItemKey::Performer,
            ItemKey::Publisher,
            ItemKey::Label,
        ] {
            for v in tag.get_strings(key) {
                push_unique(&mut holders_found, short(v, 120));
                fields.push(format!("{key:?} \"{}\"", short(v, 60)));
            }
        }
        for key in [ItemKey::CopyrightMessage, ItemKey::License] {
            for v in tag.get_strings(key) {
                for h in notice_holders(&format!("Copyright {v}")) {
                    push_unique(&mut holders_found, h);
                }
                terms_text.push(v.to_string());
                fields.push(format!("{key:?} \"{}\"", short(v, 60)));
            }
        }
        if let Some(album) = tag.get_string(ItemKey::AlbumTitle) {
            fields.push(format!("AlbumTitle \"{}\"", short(album, 60)));
        }
    }
    if holders_found.is_empty() && terms_text.is_empty() {
        return None;
    }
    let (terms, evidence) = class_terms(&terms_text.join("\n"));
    let evidence = if evidence.is_empty() {
        format!("its tags name {}", fields.join(", "))
    } else {
        format!("{evidence} ({})", fields.join(", "))
    };
    Some(ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: path.to_string(),
        kind: AssetKind::Media,
        holders: holders_found,
        terms,
        evidence: short(&evidence, 400),
    })
}
