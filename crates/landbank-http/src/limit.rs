//! Limits that keep one client, or a bug, from taking the service down: a cap on requests in flight (the rest
//! are turned away at once with 503 and `Retry-After`, never queued without bound), a time limit per request, a
//! rate limit per client address for anonymous traffic (429 with `Retry-After`; token holders are not limited),
//! and a panic in a handler answered as a 500 problem without internals (and logged: it is a bug to fix).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// How many requests one node answers at once, by default.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 1024;
/// How long a request may take, by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests per second one address may make without a token, by default (bursts of twice as many pass).
pub const DEFAULT_ANONYMOUS_RATE: u32 = 100;

/// The limits of one node.
#[derive(Debug, Clone)]
pub struct Limits {
    in_flight: Arc<Semaphore>,
    max_in_flight: usize,
    timeout: Duration,
    /// Per client address, for requests without a token; `None` when anonymous traffic is not limited.
    anonymous: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    /// Requests seen, to forget idle addresses now and then.
    seen: Arc<AtomicU64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new(DEFAULT_MAX_IN_FLIGHT, DEFAULT_REQUEST_TIMEOUT).with_anonymous_rate(DEFAULT_ANONYMOUS_RATE)
    }
}

impl Limits {
    /// At most `max_in_flight` requests at once (at least 1), each answered within `timeout`.
    pub fn new(max_in_flight: usize, timeout: Duration) -> Limits {
        let max_in_flight = max_in_flight.max(1);
        Limits {
            in_flight: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            timeout,
            anonymous: None,
            seen: Arc::default(),
        }
    }

    /// Limits each client address to `per_second` requests without a token (bursts of twice that); 0 turns the
    /// limit off.
    #[must_use]
    pub fn with_anonymous_rate(mut self, per_second: u32) -> Limits {
        self.anonymous = NonZeroU32::new(per_second).map(|rate| {
            let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
            Arc::new(RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)))
        });
        self
    }

    /// Refuses an anonymous request over its address's rate.
    fn admit(&self, request: &Request) -> Result<(), ApiError> {
        let Some(limiter) = &self.anonymous else { return Ok(()) };
        if request.headers().contains_key(header::AUTHORIZATION) {
            return Ok(());
        }
        let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else { return Ok(()) };
        if self.seen.fetch_add(1, Ordering::Relaxed) % 10_000 == 9_999 {
            limiter.retain_recent();
        }
        limiter.check_key(&peer.ip()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited { retry_after_s: wait.as_secs() + 1 }
        })
    }
}

/// The middleware: a permit per request, and the time limit.
pub async fn enforce(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    if let Err(refused) = limits.admit(&request) {
        return refused.into_response();
    }
    let Ok(_permit) = limits.in_flight.try_acquire() else {
        let mut response =
            ApiError::Busy(format!("the server is answering {} requests already; retry", limits.max_in_flight))
                .into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Busy(format!(
            "the request took longer than {} s and was abandoned; narrow it (a smaller bbox or limit) or retry",
            limits.timeout.as_secs()
        ))
        .into_response(),
    }
}

/// The answer to a panic in a handler.
#[allow(clippy::needless_pass_by_value, reason = "tower-http's CatchPanicLayer hands the panic over by value")]
pub fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    ApiError::Internal(format!("a handler panicked: {message}")).into_response()
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    use super::*;

    async fn call(router: Router, uri: &str) -> (StatusCode, Option<String>, String) {
        let response = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let kind = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        (status, kind, body)
    }

    async fn boom() -> &'static str {
        panic!("secret detail {}", 42)
    }

    #[tokio::test]
    async fn a_panic_is_a_500_problem_without_internals() {
        let router = Router::new().route("/boom", get(boom)).layer(CatchPanicLayer::custom(panicked));
        let (status, kind, body) = call(router, "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(kind.as_deref(), Some("application/problem+json"));
        assert!(!body.contains("secret detail"), "{body}");
    }

    #[tokio::test]
    async fn a_slow_request_is_abandoned_and_a_full_house_turns_the_next_away() {
        let limits = Limits::new(1, Duration::from_millis(50));
        let router = Router::new()
            .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
            .layer(axum::middleware::from_fn_with_state(limits.clone(), enforce));
        let (status, kind, body) = call(router.clone(), "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(kind.as_deref(), Some("application/problem+json"));
        assert!(body.contains("longer than"), "{body}");
        let _held = limits.in_flight.try_acquire().expect("the permit came back");
        let (status, _, body) = call(router, "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("retry"), "{body}");
    }
}
