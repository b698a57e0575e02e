//! Sign-in throttling: five failures within a minute, per client address and per account,
//! lock that key; each further lockout lasts twice as long as the one before.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

const FAILURES_ALLOWED: usize = 5;
const WINDOW: Duration = Duration::from_secs(60);
const FIRST_LOCKOUT: Duration = Duration::from_secs(30);
const LONGEST_LOCKOUT: Duration = Duration::from_secs(60 * 60);

#[derive(Default)]
struct Record {
    failures: VecDeque<Instant>,
    locked_until: Option<Instant>,
    lockouts: u32,
}

#[derive(Default)]
pub struct LoginThrottle(Mutex<HashMap<String, Record>>);

impl LoginThrottle {
    /// How long the caller must still wait, if any of `keys` is locked.
    pub fn wait(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let records = self.0.lock().ok()?;
        keys.iter()
            .filter_map(|key| records.get(key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Records a failure; returns the lockout it started, if it started one.
    pub fn failed(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let mut records = self.0.lock().ok()?;
        let mut started = None;
        for key in keys {
            let record = records.entry(key.clone()).or_default();
            while record
                .failures
                .front()
                .is_some_and(|t| now.duration_since(*t) > WINDOW)
            {
                record.failures.pop_front();
            }
            record.failures.push_back(now);
            if record.failures.len() >= FAILURES_ALLOWED {
                let lockout =
                    (FIRST_LOCKOUT * 2u32.saturating_pow(record.lockouts)).min(LONGEST_LOCKOUT);
                record.lockouts += 1;
                record.locked_until = Some(now + lockout);
                record.failures.clear();
                started = started.max(Some(lockout));
            }
        }
        started
    }

    /// A successful sign-in clears the account's record (not the address's).
    pub fn succeeded(&self, account_key: &str) {
        if let Ok(mut records) = self.0.lock() {
            records.remove(account_key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_and_the_next_lockout_is_longer() {
        let throttle = LoginThrottle::default();
        let keys = vec!["user:ana".to_owned()];
        let start = Instant::now();
        for n in 0..4 {
            assert_eq!(throttle.failed(&keys, start + Duration::from_secs(n)), None);
        }
        assert_eq!(
            throttle.failed(&keys, start + Duration::from_secs(4)),
            Some(FIRST_LOCKOUT)
        );
        assert!(
            throttle
                .wait(&keys, start + Duration::from_secs(5))
                .is_some()
        );
        let later = start + Duration::from_secs(40);
        assert_eq!(throttle.wait(&keys, later), None, "the lockout ends");
        for n in 0..4 {
            throttle.failed(&keys, later + Duration::from_secs(n));
        }
        assert_eq!(
            throttle.failed(&keys, later + Duration::from_secs(4)),
            Some(FIRST_LOCKOUT * 2)
        );
    }

    #[test]
    fn failures_older_than_a_minute_are_forgotten() {
        let throttle = LoginThrottle::default();
        let keys = vec!["ip:127.0.0.1".to_owned()];
        let start = Instant::now();
        for n in 0..4 {
            throttle.failed(&keys, start + Duration::from_secs(n));
        }
        assert_eq!(
            throttle.failed(&keys, start + Duration::from_secs(120)),
            None
        );
    }
}
