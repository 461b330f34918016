//! Calls to addresses that outsiders chose (partners' webhook targets). A name is resolved by
//! [`PublicResolver`], which hands the HTTP client only addresses it has checked, so the client
//! connects to exactly what was checked (no second resolution for a rebinding name to exploit).
//! A literal address is checked by the URL rules before the call; redirects are never followed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ocop_domain::partner::{PartnerError, TargetHost, WebhookTarget, check_webhook_url, is_public_address};

/// Why a call to an outside address did not get an answer, as shown in delivery logs: a
/// category, never the raw error text (which would tell a prober what is listening where).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The name, or the address given, is not a public one.
    BlockedAddress,
    /// The name does not resolve.
    Dns,
    Timeout,
    /// Nothing answered, or the connection broke.
    Connection,
    /// The target answered with a non-2xx status.
    HttpStatus,
}

impl Failure {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BlockedAddress => "blocked_address",
            Self::Dns => "dns",
            Self::Timeout => "timeout",
            Self::Connection => "connection",
            Self::HttpStatus => "http_status",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", .0.as_str())]
struct Refused(Failure);

/// Resolves names through the system resolver and refuses any that yields a non-public
/// address (unless private targets are allowed, for tests and closed networks).
pub struct PublicResolver {
    pub allow_private: bool,
}

/// A name's addresses, every one of them public (or `allow_private`).
pub async fn resolve(host: &str, port: u16, allow_private: bool) -> Result<Vec<SocketAddr>, Failure> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port)).await.map_err(|_| Failure::Dns)?.collect();
    if addrs.is_empty() {
        return Err(Failure::Dns);
    }
    if !allow_private && addrs.iter().any(|a| !is_public_address(a.ip())) {
        return Err(Failure::BlockedAddress);
    }
    Ok(addrs)
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs = resolve(&host, 0, allow_private)
                .await
                .map_err(|f| -> Box<dyn std::error::Error + Send + Sync> { Box::new(Refused(f)) })?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP client for outside targets: checked resolution, no redirects, no proxy from the
/// environment (it would connect elsewhere than checked), a timeout.
pub fn client(allow_private: bool, timeout: Duration, user_agent: &str) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(PublicResolver { allow_private }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(user_agent)
        .build()
}

/// Checks a target URL as given (syntax, literal address, local names) and, for a name,
/// resolves it now: at subscription a name that does not resolve, or resolves to a non-public
/// address, is refused.
pub async fn check_target(url: &str, allow_private: bool) -> Result<WebhookTarget, TargetError> {
    let target = check_webhook_url(url, allow_private).map_err(TargetError::Url)?;
    if !allow_private && let TargetHost::Name(name) = &target.host {
        resolve(name, target.port, false).await.map_err(TargetError::Resolved)?;
    }
    Ok(target)
}

#[derive(Debug)]
pub enum TargetError {
    Url(PartnerError),
    Resolved(Failure),
}

/// Sorts a client error into a [`Failure`].
pub fn classify(error: &reqwest::Error) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(Refused(f)) = e.downcast_ref::<Refused>() {
            return *f;
        }
        source = e.source();
    }
    if error.is_timeout() { Failure::Timeout } else { Failure::Connection }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_name_that_resolves_to_this_machine_is_refused() {
        assert_eq!(resolve("localhost", 80, false).await, Err(Failure::BlockedAddress));
        assert!(resolve("localhost", 80, true).await.is_ok_and(|a| a.iter().all(|a| a.ip().is_loopback())));
        assert_eq!(resolve("no-such-host.invalid", 80, false).await, Err(Failure::Dns));
    }

    #[tokio::test]
    async fn the_client_refuses_to_connect_where_the_resolver_refused() {
        let client = client(false, Duration::from_secs(2), "test").expect("client");
        let err = client.get("http://localhost:9/").send().await.expect_err("refused");
        assert_eq!(classify(&err), Failure::BlockedAddress);
    }
}
