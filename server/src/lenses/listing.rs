//! One answer of ListLenses shared by every visitor for a few seconds. The list is the
//! account's, the same for every user; asking AWS for it page by page on each visit made the lens
//! list the slowest page (README, "The server's speed"), and against AWS every visit would wait
//! for two or more calls that AWS throttles per account.
//!
//! A kept answer is used only while no change has been sent through the gateway since it was
//! asked for, so what lensgate changes shows at once; what others change in AWS shows within
//! the configured time.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use lensgate_app::lens_catalog::LensRow;

pub struct Listing {
    fresh_for: Duration,
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    asked_at: Instant,
    /// The gateway's count of changes sent when the answer was asked for.
    changes_sent: u64,
    rows: Arc<Vec<LensRow>>,
}

impl Listing {
    pub fn new(fresh_for: Duration) -> Self {
        Listing {
            fresh_for,
            kept: Mutex::new(None),
        }
    }

    /// The kept rows, if they were asked for less than the configured time ago and no change
    /// was sent since.
    pub fn get(&self, changes_sent: u64) -> Option<Arc<Vec<LensRow>>> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|kept| {
                kept.changes_sent == changes_sent && kept.asked_at.elapsed() < self.fresh_for
            })
            .map(|kept| kept.rows.clone())
    }

    /// Keeps `rows`, asked for at `asked_at` when the gateway had sent `changes_sent` changes.
    /// An older answer than the one kept is dropped: two visitors may ask at once.
    pub fn keep(&self, asked_at: Instant, changes_sent: u64, rows: Arc<Vec<LensRow>>) {
        if self.fresh_for.is_zero() {
            return;
        }
        if let Ok(mut kept) = self.kept.lock()
            && kept.as_ref().is_none_or(|k| k.asked_at <= asked_at)
        {
            *kept = Some(Kept {
                asked_at,
                changes_sent,
                rows,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(name: &str) -> Arc<Vec<LensRow>> {
        Arc::new(vec![LensRow {
            arn: format!("arn:aws:wellarchitected:us-east-1:111122223333:lens/{name}"),
            name: name.to_owned(),
            description: String::new(),
            kind: lensgate_app::lens_catalog::LensKind::Owned,
            latest_version: None,
            owner: "111122223333".to_owned(),
            updated_at: None,
        }])
    }

    #[test]
    fn a_kept_answer_serves_until_a_change_is_sent() {
        let listing = Listing::new(Duration::from_secs(60));
        listing.keep(Instant::now(), 3, rows("a"));
        assert_eq!(listing.get(3).unwrap()[0].name, "a");
        assert!(listing.get(4).is_none(), "a change was sent since");
    }

    #[test]
    fn a_kept_answer_ends_after_its_time() {
        let listing = Listing::new(Duration::from_millis(1));
        listing.keep(Instant::now(), 0, rows("a"));
        std::thread::sleep(Duration::from_millis(5));
        assert!(listing.get(0).is_none());
    }

    #[test]
    fn nothing_is_kept_when_the_time_is_zero() {
        let listing = Listing::new(Duration::ZERO);
        listing.keep(Instant::now(), 0, rows("a"));
        assert!(listing.get(0).is_none());
    }

    #[test]
    fn an_answer_asked_for_earlier_does_not_replace_a_later_one() {
        let listing = Listing::new(Duration::from_secs(60));
        let earlier = Instant::now();
        let later = earlier + Duration::from_millis(1);
        listing.keep(later, 0, rows("later"));
        listing.keep(earlier, 0, rows("earlier"));
        assert_eq!(listing.get(0).unwrap()[0].name, "later");
    }
}
