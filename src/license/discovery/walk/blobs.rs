//! Reading blobs within bounds: a prefix with the sha256 of the whole, text or the reason it is not, and the
//! head of a source file for its `SPDX-License-Identifier:` lines.

use std::sync::Arc;

use super::super::*;
use super::{BlobPrefix, TreeReader, object_state};

impl TreeReader<'_, '_> {
    /// Read up to `max` bytes of a blob, hashing all of it. Streams when the object database can (loose
    /// objects); a packed blob bigger than `max` is inflated whole by libgit2, then cut.
    pub(super) fn read_blob(
        &mut self,
        id: Oid,
        max: usize,
    ) -> Result<Arc<BlobPrefix>, git2::Error> {
        if let Some(known) = self.header_cache.blobs.get(&(id, max)) {
            return known.clone().map_err(|e| e.error());
        }
        let read = self.read_blob_uncached(id, max);
        if let Ok(blob) = &read {
            self.header_cache.work.blobs += 1;
            self.header_cache.work.bytes += blob.size;
        }
        let read = read.map(Arc::new);
        self.header_cache.blobs.insert(
            (id, max),
            read.as_ref().map(Arc::clone).map_err(CachedError::of),
        );
        read
    }

    pub(super) fn read_blob_uncached(
        &self,
        id: Oid,
        max: usize,
    ) -> Result<BlobPrefix, git2::Error> {
        let (size, kind) = self.odb.read_header(id)?;
        if kind != ObjectType::Blob {
            return Err(git2::Error::from_str(&format!(
                "object {id} is a {kind}, not a blob"
            )));
        }
        let mut hasher = Sha256::new();
        if size > max
            && let Ok((mut stream, _, _)) = self.odb.reader(id)
        {
            let mut bytes = Vec::with_capacity(max);
            let mut buffer = vec![0u8; 64 * 1024];
            loop {
                let n = stream
                    .read(&mut buffer)
                    .map_err(|e| git2::Error::from_str(&e.to_string()))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                let room = max.saturating_sub(bytes.len());
                bytes.extend_from_slice(&buffer[..n.min(room)]);
            }
            return Ok(BlobPrefix {
                bytes,
                size,
                sha256: hex::encode(hasher.finalize()),
                truncated: true,
            });
        }
        let object = self.odb.read(id)?;
        let data = object.data();
        hasher.update(data);
        let bytes = data[..data.len().min(max)].to_vec();
        Ok(BlobPrefix {
            bytes,
            size,
            sha256: hex::encode(hasher.finalize()),
            truncated: data.len() > max,
        })
    }

    /// Read a blob as text, or record why it cannot be (missing, empty, binary) and give `None`.
    pub(super) fn text_blob(&mut self, path: &str, id: Oid) -> Option<(String, Arc<BlobPrefix>)> {
        let blob = match self.read_blob(id, self.limits.max_blob_bytes) {
            Ok(blob) => blob,
            Err(error) => {
                self.skip(
                    path,
                    format!("not read: blob {id} is {}", object_state(&error)),
                );
                return None;
            }
        };
        if blob.size == 0 {
            self.skip(path, "empty file (0 bytes)".to_owned());
            return None;
        }
        if let Some(offset) = binary_offset(&blob.bytes) {
            // A `._LICENCE.txt` macOS wrote beside the licence (AppleDouble, known by its content) holding only the
            // Finder's bookkeeping is no licence text; any other binary file is named (`license::appledouble`).
            if !blob.truncated && crate::license::appledouble::only_bookkeeping(&blob.bytes).is_ok()
            {
                tracing::debug!(file = %path, "AppleDouble bookkeeping, not a text");
                return None;
            }
            self.skip(
                path,
                format!(
                    "binary file ({} bytes, NUL byte at offset {offset}): not read as text",
                    blob.size
                ),
            );
            return None;
        }
        let text = decode_text(&blob.bytes);
        if text.trim().is_empty() {
            self.skip(path, format!("holds only whitespace ({} bytes)", blob.size));
            return None;
        }
        Some((text, blob))
    }

    /// The `SPDX-License-Identifier:` lines at the head of a blob; `None` when it was not read (empty, too
    /// big, unreadable), an empty list for a binary file.
    pub(super) fn header_lines(&self, id: Oid, markdown: bool) -> Option<Vec<(usize, String)>> {
        let (size, _) = self.odb.read_header(id).ok()?;
        if size == 0 || size > self.limits.max_blob_bytes {
            return None;
        }
        let blob = self.read_prefix(id, size).ok()?;
        if binary_offset(&blob).is_some() {
            return Some(Vec::new());
        }
        Some(spdx_header_lines(&decode_text(&blob), markdown))
    }

    /// The first `max_header_bytes` of a blob of `size` bytes, without hashing.
    pub(super) fn read_prefix(&self, id: Oid, size: usize) -> Result<Vec<u8>, git2::Error> {
        let max = self.limits.max_header_bytes;
        if size > max
            && let Ok((mut stream, _, _)) = self.odb.reader(id)
        {
            let mut bytes = vec![0u8; max];
            let mut filled = 0;
            while filled < max {
                let n = stream
                    .read(&mut bytes[filled..])
                    .map_err(|e| git2::Error::from_str(&e.to_string()))?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            bytes.truncate(filled);
            return Ok(bytes);
        }
        let object = self.odb.read(id)?;
        Ok(object.data()[..object.data().len().min(max)].to_vec())
    }
}
