//! Login throttling, per account and per client address. Kept in memory: each instance
//! throttles on its own, which is acceptable behind a load balancer.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failed logins allowed per account within `account_window`.
    pub account_failures: usize,
    pub account_window: Duration,
    /// Login attempts allowed per client address within `address_window`.
    pub address_attempts: usize,
    pub address_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            account_failures: 5,
            account_window: Duration::from_secs(15 * 60),
            address_attempts: 30,
            address_window: Duration::from_secs(60),
        }
    }
}

pub struct LoginThrottle {
    limits: Limits,
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    pub fn new(limits: Limits) -> Self {
        Self { limits, events: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt from `address` and tells how long to wait if the address, or this
    /// account from this address, is over its limit. Failures are counted per account *and*
    /// address, so a stranger failing on purpose cannot lock the owner out; an account failing
    /// from many addresses at once is slowed down instead (`Ok` with a delay to wait before
    /// answering). Unknown and known accounts are throttled alike.
    pub fn check(&self, address: &str, account: &str) -> Result<Duration, Duration> {
        let now = Instant::now();
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if events.len() > 100_000 {
            let horizon = self.limits.account_window.max(self.limits.address_window);
            events.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < horizon));
        }
        if let Some(wait) = over_limit(
            events.get_mut(&pair_key(account, address)),
            now,
            self.limits.account_failures,
            self.limits.account_window,
        ) {
            return Err(wait);
        }
        let address_key = format!("address:{address}");
        let attempts = events.entry(address_key).or_default();
        if let Some(wait) = over_limit(Some(attempts), now, self.limits.address_attempts, self.limits.address_window) {
            return Err(wait);
        }
        attempts.push_back(now);
        let spread = over_limit(
            events.get_mut(&account_key(account)),
            now,
            self.limits.account_failures.saturating_mul(4),
            self.limits.account_window,
        );
        Ok(if spread.is_some() { SLOW_DOWN } else { Duration::ZERO })
    }

    pub fn record_failure(&self, account: &str, address: &str) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        events.entry(pair_key(account, address)).or_default().push_back(now);
        events.entry(account_key(account)).or_default().push_back(now);
    }

    pub fn record_success(&self, account: &str, address: &str) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.remove(&pair_key(account, address));
    }
}

/// How long an answer waits for an account that fails from many addresses at once.
pub const SLOW_DOWN: Duration = Duration::from_secs(2);

fn pair_key(account: &str, address: &str) -> String {
    format!("account:{account}|{address}")
}

fn account_key(account: &str) -> String {
    format!("account:{account}")
}

/// Drops events older than `window`; when `limit` remain, the wait until the oldest expires.
fn over_limit(queue: Option<&mut VecDeque<Instant>>, now: Instant, limit: usize, window: Duration) -> Option<Duration> {
    let queue = queue?;
    while queue.front().is_some_and(|t| now.duration_since(*t) >= window) {
        queue.pop_front();
    }
    if queue.len() >= limit {
        queue.front().map(|oldest| window.saturating_sub(now.duration_since(*oldest)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_locks_after_failures_and_unlocks_on_success() {
        let throttle = LoginThrottle::new(Limits { account_failures: 3, ..Limits::default() });
        for _ in 0..3 {
            assert!(throttle.check("1.2.3.4", "a@b.vn").is_ok());
            throttle.record_failure("a@b.vn", "1.2.3.4");
        }
        let wait = throttle.check("1.2.3.4", "a@b.vn").expect_err("locked");
        assert!(wait > Duration::from_secs(60));
        // Another account from the same address is not affected.
        assert!(throttle.check("1.2.3.4", "c@d.vn").is_ok());
        // Nor the same account from its owner's address: a stranger cannot lock it out.
        assert_eq!(throttle.check("5.6.7.8", "a@b.vn"), Ok(Duration::ZERO));
        throttle.record_success("a@b.vn", "1.2.3.4");
        assert!(throttle.check("1.2.3.4", "a@b.vn").is_ok());
    }

    #[test]
    fn an_account_failing_from_many_addresses_is_slowed_down_not_locked() {
        let throttle = LoginThrottle::new(Limits { account_failures: 2, ..Limits::default() });
        for i in 0..8 {
            let address = format!("10.0.0.{i}");
            assert_eq!(throttle.check(&address, "a@b.vn"), Ok(Duration::ZERO));
            throttle.record_failure("a@b.vn", &address);
        }
        assert_eq!(throttle.check("1.2.3.4", "a@b.vn"), Ok(SLOW_DOWN));
    }

    #[test]
    fn address_is_limited_across_accounts() {
        let throttle = LoginThrottle::new(Limits { address_attempts: 2, ..Limits::default() });
        assert!(throttle.check("9.9.9.9", "x@b.vn").is_ok());
        assert!(throttle.check("9.9.9.9", "y@b.vn").is_ok());
        assert!(throttle.check("9.9.9.9", "z@b.vn").is_err());
        assert!(throttle.check("8.8.8.8", "z@b.vn").is_ok());
    }
}
