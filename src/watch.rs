//! "Watch a local simulator": the page shows the cluster of an `ecs-sim serve` on this computer,
//! live, while the AWS CLI or an SDK drives it.
//!
//! The engine is deterministic, so the page does not draw the server's state from describe
//! calls: once a second it asks for the session (`EcsPlayground.DescribeSession`: the scenario as
//! loaded, every call the server applied with its simulated millisecond and request body, the
//! clock) and replays the same calls at the same times in its own engine
//! (`Playback::follow`), up to the server's clock. The picture, the charts, the events and the
//! details drawer are then exactly the server's simulation, drawn by the same components as
//! always, and the app needs no second rendering path. Between two answers the page runs its copy
//! ahead at the server's speed (smooth motion); a call that turns out to be earlier than the
//! page's clock sends the copy back to a checkpoint and forward again, so it is never wrong for
//! longer than one poll.
//!
//! Off by default. Only `http://127.0.0.1:PORT` and `http://localhost:PORT` are accepted (the
//! page's Content-Security-Policy allows nothing else: `connect-src 'self' http://127.0.0.1:*
//! http://localhost:*`), and the server must name this page's origin with `--allow-origin`.
//! While watching, the page is read-only: the controls would fork the simulation, so they say to
//! use the API (or to stop watching and go on locally from the same state).

use crate::playback_ctl::PlaybackCtl;
use ecs_sim::replay::{Playback, Recorded};
use ecs_sim::time::SimTime;
use leptos::prelude::*;
use serde_json::Value;
use std::time::Duration;

/// How often the page asks the server for its session.
pub const POLL_EVERY: Duration = Duration::from_millis(1000);
/// A request that has not answered by then counts as unreachable.
const TIMEOUT: Duration = Duration::from_millis(4000);
/// The page runs its copy ahead of the last answer by at most this much wall time.
const MAX_AHEAD_WALL_MS: f64 = 2000.0;

/// Why an address is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressError {
    /// Not `http://127.0.0.1` or `http://localhost` (another host, https, a path...).
    NotLocal,
    /// No port (or not a number from 1 to 65535).
    NeedPort,
}

/// `http://127.0.0.1:4566` or `http://localhost:4566` (a trailing `/` is dropped): the origin the
/// page will call. Anything else is refused: another machine, https, a path or query, user info.
pub fn parse_address(text: &str) -> Result<String, AddressError> {
    let t = text.trim();
    let t = t.strip_suffix('/').unwrap_or(t);
    let rest = t.strip_prefix("http://").ok_or(AddressError::NotLocal)?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    if host != "127.0.0.1" && host != "localhost" {
        return Err(AddressError::NotLocal);
    }
    let port = port.ok_or(AddressError::NeedPort)?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        // "127.0.0.1:4566/x" or "localhost:abc": a path or a name is not a port.
        return Err(if port.contains('/') || port.contains('?') || port.contains('#') {
            AddressError::NotLocal
        } else {
            AddressError::NeedPort
        });
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(format!("http://{host}:{p}")),
        _ => Err(AddressError::NeedPort),
    }
}

/// One answer to `EcsPlayground.DescribeSession`.
#[derive(Clone, Debug)]
pub struct Session {
    /// When the server started (Unix seconds): a new value is a new session.
    pub started_at: f64,
    /// The scenario as the server loaded it (JSON text).
    pub scenario: String,
    pub calls: Vec<Recorded>,
    pub now_ms: SimTime,
    pub speed: f64,
    pub paused: bool,
}

/// Read a DescribeSession answer. Errors say which part is missing (a server of another version).
pub fn parse_session(body: &str) -> Result<Session, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let started_at = v["startedAt"].as_f64().ok_or("startedAt missing")?;
    let scenario = v.get("scenario").filter(|s| s.is_object()).ok_or("scenario missing")?.to_string();
    let clock = &v["clock"];
    let now_ms = clock["simulatedMs"].as_u64().ok_or("clock.simulatedMs missing")?;
    let speed = clock["speed"].as_f64().filter(|s| s.is_finite() && *s >= 0.0).ok_or("clock.speed missing")?;
    let paused = clock["paused"].as_bool().unwrap_or(false);
    let mut calls = Vec::new();
    for (i, c) in v["calls"].as_array().ok_or("calls missing")?.iter().enumerate() {
        let at = c["atMs"].as_u64().ok_or_else(|| format!("calls[{i}].atMs missing"))?;
        let action = c["action"].as_str().ok_or_else(|| format!("calls[{i}].action missing"))?;
        let r = Recorded::from_json(at, action, &c["input"]).map_err(|e| format!("calls[{i}]: {e}"))?;
        calls.push(r);
    }
    Ok(Session { started_at, scenario, calls, now_ms, speed, paused })
}

/// The server's clock as last heard, to run the page's copy on between two answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RemoteClock {
    pub ms: SimTime,
    /// `performance.now()` when the answer arrived.
    pub received: f64,
    pub speed: f64,
    pub paused: bool,
}

impl RemoteClock {
    /// Where the server's clock probably is at `now` (wall milliseconds, `performance.now()`).
    pub fn estimate(&self, now: f64) -> SimTime {
        if self.paused {
            return self.ms;
        }
        let wall = (now - self.received).clamp(0.0, MAX_AHEAD_WALL_MS);
        self.ms + (wall * self.speed) as SimTime
    }
}

/// Where the page's copy should be after an answer: the server's time, or (when the page ran a
/// little ahead on its estimate of a running clock) where it already is, so the picture never
/// steps back for nothing. A paused server is shown exactly.
pub fn follow_target(local: SimTime, s: &Session) -> SimTime {
    let slack = (MAX_AHEAD_WALL_MS * s.speed) as SimTime;
    if s.paused || local < s.now_ms || local > s.now_ms + slack {
        s.now_ms
    } else {
        local
    }
}

/// The connection as the status line says it.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Off,
    /// The address typed was refused by the page.
    Refused(AddressError),
    Connecting(String),
    Connected {
        address: String,
        speed: f64,
        paused: bool,
    },
    /// Nothing answered (no server on that port, or it timed out).
    Unreachable(String),
    /// A server answered but does not allow this page's origin (CORS).
    NotAllowed(String),
    /// The server answered with an error or an answer the page cannot use.
    Failed {
        address: String,
        error: String,
    },
}

impl Status {
    /// `data-state` of the status line: off, connecting, connected, unreachable, refused, error.
    pub fn state(&self) -> &'static str {
        match self {
            Status::Off => "off",
            Status::Connecting(_) => "connecting",
            Status::Connected { .. } => "connected",
            Status::Unreachable(_) => "unreachable",
            Status::Refused(_) | Status::NotAllowed(_) => "refused",
            Status::Failed { .. } => "error",
        }
    }
}

/// The watcher's state, provided as context (the panel reads it; `app.rs` starts it).
#[derive(Clone, Copy)]
pub struct Watch {
    pub status: RwSignal<Status>,
    /// The origin being watched, if any.
    pub address: RwSignal<Option<String>>,
    /// Bumped by every start/stop: answers of an older connection are ignored.
    generation: StoredValue<u32>,
    /// The session shown (startedAt, scenario text): another one replaces the simulation.
    session: StoredValue<Option<(f64, String)>>,
    in_flight: StoredValue<bool>,
    interval: StoredValue<Option<IntervalHandle>>,
    /// The link state: a watched session is shared as its scenario with the calls as actions.
    url: Option<crate::url_state::UrlState>,
}

impl Watch {
    pub fn new(url: Option<crate::url_state::UrlState>) -> Self {
        Watch {
            url,
            status: RwSignal::new(Status::Off),
            address: RwSignal::new(None),
            generation: StoredValue::new(0),
            session: StoredValue::new(None),
            in_flight: StoredValue::new(false),
            interval: StoredValue::new(None),
        }
    }

    /// Start watching `text` (refused unless it is a loopback http address with a port).
    pub fn start(&self, ctl: PlaybackCtl, text: &str) {
        self.stop(ctl);
        let address = match parse_address(text) {
            Ok(a) => a,
            Err(e) => {
                self.status.set(Status::Refused(e));
                return;
            }
        };
        self.generation.update_value(|g| *g += 1);
        self.session.set_value(None);
        self.address.set(Some(address.clone()));
        self.status.set(Status::Connecting(address));
        ctl.playing.set(false);
        ctl.watching.set(true);
        let me = *self;
        me.poll(ctl);
        if let Ok(h) = set_interval_with_handle(move || me.poll(ctl), POLL_EVERY) {
            self.interval.set_value(Some(h));
        }
    }

    /// Stop watching: the simulation stays as it was last shown, now the page's own (paused).
    pub fn stop(&self, ctl: PlaybackCtl) {
        if let Some(h) = self.interval.get_value() {
            h.clear();
        }
        self.interval.set_value(None);
        self.generation.update_value(|g| *g += 1);
        self.in_flight.set_value(false);
        self.address.set(None);
        if !matches!(self.status.get_untracked(), Status::Off | Status::Refused(_)) {
            self.status.set(Status::Off);
        }
        ctl.remote.set_value(None);
        ctl.watching.set(false);
    }

    fn poll(&self, ctl: PlaybackCtl) {
        let Some(address) = self.address.get_untracked() else { return };
        if self.in_flight.get_value() {
            return;
        }
        self.in_flight.set_value(true);
        let generation = self.generation.get_value();
        let me = *self;
        leptos::task::spawn_local(async move {
            let answer = http::post(&address, "EcsPlayground.DescribeSession", "{}").await;
            if me.generation.get_value() != generation {
                return;
            }
            let status = match answer {
                Ok((200, body)) => match parse_session(&body) {
                    Ok(s) => me.show(ctl, &address, s),
                    Err(error) => Status::Failed { address: address.clone(), error },
                },
                Ok((_, body)) => Status::Failed { address: address.clone(), error: aws_error(&body) },
                // A CORS refusal and a closed port look the same to fetch; an opaque request
                // (no-cors) tells them apart: it succeeds when something answers.
                Err(http::Error::Network) if http::answers(&address).await => Status::NotAllowed(address.clone()),
                Err(_) => Status::Unreachable(address.clone()),
            };
            if me.generation.get_value() != generation {
                return;
            }
            if !matches!(status, Status::Connected { .. }) {
                ctl.remote.set_value(None);
            }
            if me.status.get_untracked() != status {
                me.status.set(status);
            }
            me.in_flight.set_value(false);
        });
    }

    /// Bring the page's simulation to the session's; the status to show.
    fn show(&self, ctl: PlaybackCtl, address: &str, s: Session) -> Status {
        let same =
            self.session.with_value(|k| k.as_ref().is_some_and(|(t, sc)| *t == s.started_at && *sc == s.scenario));
        if !same {
            match ecs_sim::load(&s.scenario, None) {
                Ok(sim) => ctl.replace_sim(Playback::new(sim)),
                Err(e) => {
                    return Status::Failed { address: address.to_string(), error: format!("scenario: {e}") };
                }
            }
            self.session.set_value(Some((s.started_at, s.scenario.clone())));
            // The link shares what is shown: this scenario, with the server's calls as actions.
            if let Some(url) = self.url {
                url.lesson.set(None);
                crate::url_state::set_custom(url, Some(s.scenario.clone()));
            }
        }
        let (now_ms, speed, paused) = (s.now_ms, s.speed, s.paused);
        ctl.playback.update_value(|p| {
            if let Some(p) = p {
                let to = follow_target(p.now(), &s);
                p.follow(s.calls, to);
            }
        });
        ctl.remote.set_value(Some(RemoteClock { ms: now_ms, received: crate::app::performance_now(), speed, paused }));
        ctl.refresh(false);
        Status::Connected { address: address.to_string(), speed, paused }
    }
}

/// The message of an AWS-shaped JSON error (`{"__type", "message"}`), or the body itself.
fn aws_error(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            let t = v["__type"].as_str()?.to_string();
            Some(match v["message"].as_str() {
                Some(m) => format!("{t}: {m}"),
                None => t,
            })
        })
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// fetch() through web-sys.
mod http {
    use super::TIMEOUT;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    pub enum Error {
        /// fetch rejected: nothing listening, a CORS refusal, a timeout.
        Network,
        /// Not in a browser, or the answer could not be read.
        Other,
    }

    fn abort_after(controller: &web_sys::AbortController) {
        let c = controller.clone();
        leptos::prelude::set_timeout(move || c.abort(), TIMEOUT);
    }

    /// POST a JSON 1.1 call (`X-Amz-Target`) to `origin`/: (HTTP status, body).
    pub async fn post(origin: &str, target: &str, body: &str) -> Result<(u16, String), Error> {
        let window = web_sys::window().ok_or(Error::Other)?;
        let headers = web_sys::Headers::new().map_err(|_| Error::Other)?;
        headers.set("X-Amz-Target", target).map_err(|_| Error::Other)?;
        headers.set("Content-Type", "application/x-amz-json-1.1").map_err(|_| Error::Other)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_mode(web_sys::RequestMode::Cors);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_cache(web_sys::RequestCache::NoStore);
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(body));
        let controller = web_sys::AbortController::new().map_err(|_| Error::Other)?;
        init.set_signal(Some(&controller.signal()));
        abort_after(&controller);
        let resp = JsFuture::from(window.fetch_with_str_and_init(&format!("{origin}/"), &init))
            .await
            .map_err(|_| Error::Network)?;
        let resp: web_sys::Response = resp.dyn_into().map_err(|_| Error::Other)?;
        let text = JsFuture::from(resp.text().map_err(|_| Error::Other)?).await.map_err(|_| Error::Network)?;
        Ok((resp.status(), text.as_string().unwrap_or_default()))
    }

    /// Does anything answer HTTP at `origin`? (An opaque no-cors GET: no CORS needed.)
    pub async fn answers(origin: &str) -> bool {
        let Some(window) = web_sys::window() else { return false };
        let init = web_sys::RequestInit::new();
        init.set_method("GET");
        init.set_mode(web_sys::RequestMode::NoCors);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        let Ok(controller) = web_sys::AbortController::new() else { return false };
        init.set_signal(Some(&controller.signal()));
        abort_after(&controller);
        JsFuture::from(window.fetch_with_str_and_init(&format!("{origin}/"), &init)).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_with_a_port_is_accepted() {
        assert_eq!(parse_address("http://127.0.0.1:4566").as_deref(), Ok("http://127.0.0.1:4566"));
        assert_eq!(parse_address(" http://localhost:8080/ ").as_deref(), Ok("http://localhost:8080"));
        for bad in [
            "https://127.0.0.1:4566",
            "http://192.168.1.10:4566",
            "http://example.com:4566",
            "http://127.0.0.1.evil.example:4566",
            "http://localhost.evil.example:80",
            "http://user@127.0.0.1:4566",
            "http://127.0.0.1:4566/api",
            "http://127.0.0.1:4566?x=1",
            "127.0.0.1:4566",
            "ftp://localhost:21",
            "http://[::1]:4566",
            "",
        ] {
            assert_eq!(parse_address(bad), Err(AddressError::NotLocal), "{bad}");
        }
        for bad in [
            "http://127.0.0.1",
            "http://localhost:",
            "http://127.0.0.1:0",
            "http://127.0.0.1:70000",
            "http://localhost:abc",
        ] {
            assert_eq!(parse_address(bad), Err(AddressError::NeedPort), "{bad}");
        }
    }

    fn session(now_ms: u64, speed: f64, paused: bool) -> Session {
        Session { started_at: 1.0, scenario: "{}".into(), calls: vec![], now_ms, speed, paused }
    }

    #[test]
    fn the_copy_follows_the_server_clock_and_never_far_ahead() {
        // Behind: catch up. A little ahead of a running clock: stay. Far ahead or paused: exact.
        assert_eq!(follow_target(10_000, &session(20_000, 1.0, false)), 20_000);
        assert_eq!(follow_target(20_500, &session(20_000, 1.0, false)), 20_500);
        assert_eq!(follow_target(25_000, &session(20_000, 1.0, false)), 20_000);
        assert_eq!(follow_target(20_500, &session(20_000, 1.0, true)), 20_000);
        let c = RemoteClock { ms: 20_000, received: 1000.0, speed: 10.0, paused: false };
        assert_eq!(c.estimate(1500.0), 25_000);
        assert_eq!(c.estimate(60_000.0), 40_000, "at most 2 s of wall time ahead of the last answer");
        assert_eq!(RemoteClock { paused: true, ..c }.estimate(60_000.0), 20_000);
    }

    #[test]
    fn a_session_answer_parses_with_its_calls_as_received() {
        let body = r#"{"startedAt": 1767225600, "scenario": {"cluster": {}}, "clock": {"simulatedMs": 95000,
            "simulatedSeconds": 95.0, "speed": 2.0, "paused": false},
            "calls": [{"atMs": 60000, "action": "UpdateService", "input": {"service": "web", "desiredCount": 4, "cluster": "default"}}]}"#;
        let s = parse_session(body).expect("parses");
        assert_eq!((s.now_ms, s.speed, s.paused, s.calls.len()), (95_000, 2.0, false, 1));
        assert_eq!(s.calls[0].at, 60_000);
        assert_eq!(s.calls[0].to_timeline_entry().input["cluster"], "default");
        let e = parse_session(r#"{"startedAt": 1, "scenario": {}, "clock": {"speed": 1}, "calls": []}"#).unwrap_err();
        assert!(e.contains("simulatedMs"), "{e}");
        let e = parse_session(
            r#"{"startedAt": 1, "scenario": {}, "clock": {"simulatedMs": 0, "speed": 1}, "calls": [{"atMs": 0, "action": "Nope", "input": {}}]}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("calls[0]"), "{e}");
        assert_eq!(
            aws_error(r#"{"__type": "UnknownOperationException", "message": "Unknown playground verb"}"#),
            "UnknownOperationException: Unknown playground verb"
        );
    }
}
