//! Opaque list cursors the simulator can tell it issued.
//!
//! A cursor names the position after the last transaction of a page (its
//! sequence number) and carries a tag keyed with a secret of this
//! simulator instance, so a cursor that was edited, made up, or issued by
//! another instance is refused with 400 instead of silently paging from
//! somewhere else: the document says never to construct cursors manually.

use std::hash::{BuildHasher, RandomState};

/// Issues and checks cursors; the key is random per simulator.
pub(crate) struct CursorKey(RandomState);

impl CursorKey {
    pub fn new() -> Self {
        Self(RandomState::new())
    }

    fn tag(&self, after: u64) -> u64 {
        self.0.hash_one(("cashweb-cursor", after))
    }

    /// 32 lowercase hex digits: position, then tag.
    pub fn encode(&self, after: u64) -> String {
        format!("{after:016x}{:016x}", self.tag(after))
    }

    /// The position, if this instance issued `cursor` exactly.
    pub fn decode(&self, cursor: &str) -> Option<u64> {
        let bytes = cursor.as_bytes();
        let hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        if bytes.len() != 32 || !bytes.iter().all(hex) {
            return None;
        }
        let after = u64::from_str_radix(&cursor[..16], 16).ok()?;
        let tag = u64::from_str_radix(&cursor[16..], 16).ok()?;
        (tag == self.tag(after)).then_some(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_the_position_it_was_issued_for() {
        let key = CursorKey::new();
        let c = key.encode(42);
        assert_eq!(c.len(), 32);
        assert_eq!(key.decode(&c), Some(42));
    }

    #[test]
    fn edited_made_up_and_foreign_cursors_are_refused() {
        let key = CursorKey::new();
        let c = key.encode(42);
        let edited = format!("{:016x}{}", 41, &c[16..]);
        assert_eq!(key.decode(&edited), None);
        assert_eq!(key.decode(&c.to_uppercase()), None);
        assert_eq!(key.decode("eyJvZmZzZXQiOjEwfQ"), None);
        assert_eq!(key.decode(""), None);
        assert_eq!(CursorKey::new().decode(&c), None, "another simulator's");
    }
}
