//! NextToken/MaxResults paging. A token is an offset signed with the store's key, so a forged
//! or altered token is refused instead of silently paging from somewhere else.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::ServiceError;

pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// One page of `items`; `scope` ties a token to the listing (operation and filters) it came from.
pub fn paginate<T>(
    items: Vec<T>,
    max_results: Option<i64>,
    next_token: Option<&str>,
    scope: &str,
    key: &[u8],
    default_size: usize,
) -> Result<Page<T>, ServiceError> {
    let size = max_results.map_or(default_size, |n| n.max(1) as usize);
    let start = match next_token {
        Some(token) => decode(token, scope, key)?,
        None => 0,
    };
    let total = items.len();
    let items: Vec<T> = items.into_iter().skip(start).take(size).collect();
    let end = start + items.len();
    Ok(Page {
        items,
        next_token: (end < total).then(|| encode(end, scope, key)),
    })
}

fn mac(offset: usize, scope: &str, key: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(format!("{scope}\n{offset}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..12])
}

fn encode(offset: usize, scope: &str, key: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(format!("{offset}:{}", mac(offset, scope, key)))
}

fn decode(token: &str, scope: &str, key: &[u8]) -> Result<usize, ServiceError> {
    let invalid =
        || ServiceError::validation("The NextToken is invalid or belongs to another request.");
    let text = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(text).map_err(|_| invalid())?;
    let (offset, signature) = text.split_once(':').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    if mac(offset, scope, key) != signature {
        return Err(invalid());
    }
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_every_item_once() {
        let key = b"k";
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let page = paginate((0..7).collect(), Some(3), token.as_deref(), "s", key, 50).unwrap();
            seen.extend(page.items);
            match page.next_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn a_forged_or_foreign_token_is_refused() {
        let key = b"k";
        let page = paginate((0..7).collect::<Vec<i32>>(), Some(3), None, "s", key, 50).unwrap();
        let token = page.next_token.unwrap();
        let foreign = paginate(
            (0..7).collect::<Vec<i32>>(),
            Some(3),
            Some(&token),
            "other",
            key,
            50,
        );
        assert_eq!(foreign.err().unwrap().code, "ValidationException");
        let forged = URL_SAFE_NO_PAD.encode("6:000000000000000000000000");
        assert!(
            paginate(
                (0..7).collect::<Vec<i32>>(),
                Some(3),
                Some(&forged),
                "s",
                key,
                50
            )
            .is_err()
        );
    }
}
