//! `ecs-sim serve`: the AWS APIs the engine models, on a local HTTP endpoint, so unmodified
//! clients (the AWS CLI, boto3, the SDKs) drive one simulation with
//! `--endpoint-url http://127.0.0.1:4566`.
//!
//! Protocols, as botocore speaks them (every request is `POST /`):
//! - JSON 1.1 with `X-Amz-Target: <prefix>.<Operation>`: ECS
//!   (`AmazonEC2ContainerServiceV20141113`), Application Auto Scaling (`AnyScaleFrontendService`)
//!   and the playground's own verbs (`EcsPlayground`). Errors are `{"__type": ..., "message": ...}`
//!   with HTTP 400.
//! - The query protocol (form-encoded `Action=...&Version=2015-12-01`) with XML responses: ELBv2.
//!
//! SigV4 `Authorization` headers are accepted without checking any credential.
//!
//! Time: the engine never reads a clock. The server turns wall time into simulated time
//! (`elapsed × speed`) and calls `Simulation::run_until`, in a background tick and before every
//! request; the playground's `AdvanceClock` / `Pause` / `Resume` / `SetSpeed` verbs step it.
// No unwrap, expect or panic outside tests: the workspace's [lints] table (Cargo.toml) denies them.

pub mod aas;
pub mod ecs;
pub mod elbv2;
pub mod playground;
mod util;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use ecs_sim::time::SimTime;
use ecs_sim::{ApiError, Scenario, Simulation};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Request bodies above this size get HTTP 413 (a RegisterTaskDefinition with ten containers is
/// a few KB; AWS's own limit for most API bodies is far below this).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The scenario served when no `--scenario` is given: cluster `default` (what the AWS CLI means
/// when `--cluster` is omitted), three m5.large instances in two Availability Zones and a target
/// group `web-tg` for a service behind a load balancer.
pub const DEFAULT_SCENARIO: &str = include_str!("default-scenario.json");

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub speed: f64,
    /// Origins allowed by CORS (exact match); empty: no cross-origin access.
    pub allow_origins: Vec<String>,
    /// Unix seconds of simulated time 0, used for timestamps in responses.
    pub epoch: f64,
}

/// Simulated time from wall time: `anchor_sim + (now - anchor_wall) × speed`, unless paused.
#[derive(Debug, Clone)]
pub struct Clock {
    pub speed: f64,
    pub paused: bool,
    anchor_wall: Instant,
    anchor_sim: SimTime,
}

impl Clock {
    pub fn new(speed: f64, at: SimTime) -> Self {
        Clock { speed, paused: false, anchor_wall: Instant::now(), anchor_sim: at }
    }
    pub fn target(&self, now: Instant) -> SimTime {
        if self.paused {
            return self.anchor_sim;
        }
        let ms = now.saturating_duration_since(self.anchor_wall).as_secs_f64() * 1000.0 * self.speed;
        self.anchor_sim.saturating_add(if ms.is_finite() && ms > 0.0 { ms as SimTime } else { 0 })
    }
    /// Restart counting from `sim` now (after a step, a pause or a speed change).
    pub fn reanchor(&mut self, sim: SimTime) {
        self.anchor_wall = Instant::now();
        self.anchor_sim = sim;
    }
}

/// Everything the server holds: the one simulation and what the APIs keep around it.
pub struct App {
    pub sim: Simulation,
    /// The scenario as loaded (live calls edit the simulation's copy), for ExportScenario.
    pub original: Scenario,
    pub clock: Clock,
    pub config: Config,
    /// TagResource tags per ARN (ECS), in order of arrival.
    pub tags: BTreeMap<String, Vec<(String, String)>>,
    /// Every successful state-changing call, for ExportScenario: (simulated time, action, input).
    pub recorded: Vec<(SimTime, String, Value)>,
    /// Deregistered task definition revisions (`family:revision`), shown INACTIVE.
    pub deregistered: std::collections::BTreeSet<String>,
}

impl App {
    pub fn new(scenario: Scenario, config: Config) -> Result<App, ApiError> {
        let sim = Simulation::new(scenario.clone())?;
        let clock = Clock::new(config.speed, sim.now());
        Ok(App {
            sim,
            original: scenario,
            clock,
            config,
            tags: BTreeMap::new(),
            recorded: Vec::new(),
            deregistered: Default::default(),
        })
    }
    /// Bring the simulation to the clock's time.
    pub fn sync(&mut self) {
        let t = self.clock.target(Instant::now());
        if t > self.sim.now() {
            self.sim.run_until(t);
        }
    }
    /// `Simulation::apply`, recorded for export when it succeeds.
    pub fn apply(&mut self, action: &str, input: &Value) -> Result<Value, ApiError> {
        let r = self.sim.apply_json(action, input)?;
        self.recorded.push((self.sim.now(), action.to_string(), input.clone()));
        Ok(r)
    }
    /// A timestamp in responses: Unix seconds (the JSON protocols' wire format).
    pub fn ts(&self, t: SimTime) -> Value {
        json!(((self.config.epoch + t as f64 / 1000.0) * 1000.0).round() / 1000.0)
    }
}

pub type Shared = Arc<Mutex<App>>;

pub fn lock(app: &Shared) -> MutexGuard<'_, App> {
    // A handler never panics while holding the lock (errors are values), but if one did, the
    // simulation is still a valid value: keep serving it.
    app.lock().unwrap_or_else(|p| p.into_inner())
}

/// The router: every path goes to `handle`.
pub fn router(app: Shared) -> Router {
    Router::new().fallback(handle).with_state(app)
}

/// Advance the simulation with the clock every `period` (the simulation also catches up before
/// every request, so responses are never older than the request).
pub async fn tick(app: Shared, period: Duration) {
    let mut iv = tokio::time::interval(period);
    iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        iv.tick().await;
        lock(&app).sync();
    }
}

/// A JSON-protocol or query-protocol error, before it is written in the protocol's shape.
#[derive(Debug, Clone)]
pub struct Fault {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl Fault {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Fault { status: StatusCode::BAD_REQUEST, code: code.to_string(), message: message.into() }
    }
    /// An operation of the real API that the playground does not simulate.
    pub fn not_simulated(service: &str, op: &str, why: &str) -> Self {
        Fault::new(
            "UnsupportedOperation",
            format!(
                "{service} {op} is not simulated by ECS Playground{}",
                if why.is_empty() { String::new() } else { format!(": {why}") }
            ),
        )
    }
}

impl From<ApiError> for Fault {
    fn from(e: ApiError) -> Self {
        let message = if e.field.is_empty() { e.message } else { format!("{}: {}", e.field, e.message) };
        Fault { status: StatusCode::BAD_REQUEST, code: e.exception.to_string(), message }
    }
}

pub type OpResult = Result<Value, Fault>;

fn cors_headers(app: &Shared, headers: &HeaderMap, resp: &mut Response) {
    let Some(origin) = headers.get("origin").and_then(|o| o.to_str().ok()) else { return };
    let allowed = lock(app).config.allow_origins.iter().any(|a| a == origin);
    if !allowed {
        return;
    }
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert("access-control-allow-origin", v);
    }
    h.insert("vary", HeaderValue::from_static("Origin"));
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(
            "content-type, x-amz-target, x-amz-date, x-amz-user-agent, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request",
        ),
    );
    h.insert("access-control-expose-headers", HeaderValue::from_static("x-amzn-requestid"));
    // Chromium's Private Network Access: a page served from a public address (the hosted
    // playground) may call a loopback server only if the preflight answers this, for an origin
    // the user allowed. https://wicg.github.io/private-network-access/#headers
    if headers.get("access-control-request-private-network").is_some() {
        h.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
    }
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert("content-type", HeaderValue::from_static(content_type));
    r.headers_mut().insert("x-amzn-requestid", HeaderValue::from_static("00000000-0000-0000-0000-000000000000"));
    r
}

fn json_response(result: OpResult) -> Response {
    match result {
        Ok(v) => respond(StatusCode::OK, "application/x-amz-json-1.1", v.to_string()),
        Err(f) => {
            respond(f.status, "application/x-amz-json-1.1", json!({"__type": f.code, "message": f.message}).to_string())
        }
    }
}

async fn handle(State(app): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let mut resp = match (&parts.method, parts.uri.path()) {
        (&Method::OPTIONS, _) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NO_CONTENT;
            r
        }
        (&Method::GET, "/") => respond(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            "ECS Playground: ECS, Application Auto Scaling and ELBv2 on this endpoint. Use --endpoint-url with the AWS CLI.\n".into(),
        ),
        (&Method::GET, "/playground/snapshot") => {
            let mut a = lock(&app);
            a.sync();
            json_response(playground::describe_state(&a))
        }
        (&Method::POST, _) => match axum::body::to_bytes(body, BODY_LIMIT).await {
            Err(_) => respond(
                StatusCode::PAYLOAD_TOO_LARGE,
                "application/x-amz-json-1.1",
                json!({"__type": "ValidationException", "message": format!("The request body is larger than {BODY_LIMIT} bytes.")}).to_string(),
            ),
            Ok(bytes) => dispatch(&app, &parts.headers, &bytes),
        },
        _ => respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "application/x-amz-json-1.1",
            json!({"__type": "UnknownOperationException", "message": "Send AWS API calls as POST /."}).to_string(),
        ),
    };
    cors_headers(&app, &parts.headers, &mut resp);
    resp
}

/// Route one POST by protocol: `X-Amz-Target` (JSON 1.1) or a form body with `Action` (query).
pub fn dispatch(app: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    if let Some(target) = headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        let (prefix, op) = target.split_once('.').unwrap_or((target, ""));
        let input: Value = if body.iter().all(|b| b.is_ascii_whitespace()) {
            json!({})
        } else {
            match serde_json::from_slice(body) {
                Ok(v @ Value::Object(_)) => v,
                Ok(_) => {
                    return json_response(Err(Fault::new(
                        "SerializationException",
                        "The request body must be a JSON object.",
                    )))
                }
                Err(e) => {
                    return json_response(Err(Fault::new(
                        "SerializationException",
                        format!("The request body is not valid JSON: {e}"),
                    )))
                }
            }
        };
        let mut a = lock(app);
        a.sync();
        let result = match prefix {
            ecs::TARGET_PREFIX => ecs::call(&mut a, op, &input),
            aas::TARGET_PREFIX => aas::call(&mut a, op, &input),
            playground::TARGET_PREFIX => playground::call(&mut a, op, &input),
            _ => Err(Fault::new("UnknownOperationException", format!("Unknown target prefix \"{prefix}\"."))),
        };
        return json_response(result);
    }
    let form = util::parse_form(body);
    let Some(action) = form.get("Action").cloned() else {
        return json_response(Err(Fault::new(
            "UnknownOperationException",
            "No X-Amz-Target header and no Action parameter: not an AWS API call this endpoint knows.",
        )));
    };
    let mut a = lock(app);
    a.sync();
    let (status, xml) = elbv2::call(&mut a, &action, &form);
    respond(status, "text/xml", xml)
}

/// Load a scenario file's text (or the default scenario).
pub fn load_scenario(text: Option<&str>) -> Result<Scenario, String> {
    ecs_sim::parse_scenario(text.unwrap_or(DEFAULT_SCENARIO)).map_err(|e| e.to_string())
}
