//! Pagination of the API's lists: a `limit` (capped) and an opaque `cursor` that a response hands out
//! as `next`. A cursor is bound to the list and filters it was made for, so one used with other filters
//! is refused rather than silently skipping rows.

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Rows per page when the request names no limit.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most rows one page returns.
pub const MAX_LIMIT: i64 = 200;

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows skipped.
    pub offset: i64,
    /// Rows wanted.
    pub limit: i64,
}

/// The fingerprint of a list and its filters (`scope`), carried in its cursors.
fn fingerprint(scope: &str) -> String {
    hex::encode(&Sha256::digest(scope.as_bytes())[..6])
}

/// Parses `limit` and `cursor` for the list `scope` (the endpoint and its filters, in a fixed order).
pub fn page(limit: Option<&str>, cursor: Option<&str>, scope: &str) -> Result<Page, AppError> {
    let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(l) => match l.parse::<i64>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => return Err(AppError::BadRequest(format!("limit {l:?} is not a number from 1 to {MAX_LIMIT}"))),
        },
    };
    let offset = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => decode(c, scope).ok_or_else(|| {
            AppError::BadRequest("the cursor is not one this list handed out (were the filters changed?)".into())
        })?,
    };
    Ok(Page { offset, limit })
}

/// The cursor of the page after one that returned `returned` rows of `total`, if there is one.
pub fn next(page: Page, returned: usize, total: i64, scope: &str) -> Option<String> {
    let end = page.offset + returned as i64;
    (returned > 0 && end < total).then(|| encode(end, scope))
}

fn encode(offset: i64, scope: &str) -> String {
    hex::encode(format!("1.{offset}.{}", fingerprint(scope)))
}

fn decode(cursor: &str, scope: &str) -> Option<i64> {
    let raw = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
    let mut parts = raw.split('.');
    let (version, offset, fp) = (parts.next()?, parts.next()?, parts.next()?);
    if version != "1" || parts.next().is_some() || fp != fingerprint(scope) {
        return None;
    }
    offset.parse::<i64>().ok().filter(|o| *o >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_within_their_list_only() {
        let p = page(Some("2"), None, "leads?kind=job").unwrap();
        assert_eq!(p, Page { offset: 0, limit: 2 });
        let c = next(p, 2, 5, "leads?kind=job").unwrap();
        assert_eq!(page(None, Some(&c), "leads?kind=job").unwrap().offset, 2);
        assert!(page(None, Some(&c), "leads?kind=escort").is_err(), "other filters");
        assert!(page(None, Some("zz"), "leads?kind=job").is_err());
        assert_eq!(next(Page { offset: 4, limit: 2 }, 1, 5, "x"), None, "last page");
        assert_eq!(next(Page { offset: 0, limit: 2 }, 0, 5, "x"), None);
    }

    #[test]
    fn limits_are_capped_and_checked() {
        assert_eq!(page(None, None, "x").unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(page(Some("100000"), None, "x").unwrap().limit, MAX_LIMIT);
        for bad in ["0", "-3", "ten"] {
            assert!(page(Some(bad), None, "x").is_err(), "{bad}");
        }
    }
}
