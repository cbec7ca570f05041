//! Network Load Balancer target groups, pure parts: which CreateTargetGroup bodies are NLB ones,
//! the health check settings an NLB target group gets (its defaults differ from an ALB's), and the
//! request rules that tell the two apart.
//!
//! Rules implemented (each from the ELBv2 documentation):
//! - A target group whose `Protocol` is TCP, TLS, UDP or TCP_UDP belongs to a Network Load
//!   Balancer (layer 4); HTTP, HTTPS belong to an Application Load Balancer (layer 7)
//!   (ELBv2 API, CreateTargetGroup `Protocol`: "For Application Load Balancers, the supported
//!   protocols are HTTP and HTTPS. For Network Load Balancers, the supported protocols are TCP,
//!   TLS, UDP, or TCP_UDP",
//!   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
//! - `HealthCheckProtocol`: "For Application Load Balancers, the default is HTTP. For Network Load
//!   Balancers and Gateway Load Balancers, the default is TCP. The TCP protocol is not supported
//!   for health checks if the protocol of the target group is HTTP or HTTPS." (same page). UDP,
//!   TLS and TCP_UDP are not health check protocols.
//! - NLB defaults ("Health checks for Network Load Balancer target groups",
//!   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html):
//!   interval 30 s (5-300), healthy threshold 5 and unhealthy threshold 2 (2-10), timeout 10 s
//!   for TCP and HTTPS health checks and 6 s for HTTP ones (2-120); `HealthCheckPath` "/" and the
//!   matcher (`HttpCode`, 200-599, default "200-399") apply to HTTP/HTTPS health checks only.
//! - A TCP health check "attempts to open a TCP connection to the target on the health check
//!   port"; it succeeds when the connection opens, whatever the application would answer to an
//!   HTTP request. A failed check's reason code is `Target.FailedHealthChecks` (ELBv2
//!   `TargetHealth.Reason`: "The load balancer received an error while establishing a connection
//!   to the target or the target response was malformed",
//!   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
//! - Listener rules (path and host conditions, weighted forward actions) are an ALB feature: an
//!   NLB listener has only its default action ("Listeners for your Network Load Balancers",
//!   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html).
//!
//! Playground wording: the error texts below name the field as the API does, but their sentences
//! are the playground's (the API's own texts are not all published).

use crate::error::{ApiError, ApiResult};
use crate::scenario::CreateTargetGroup;

/// Target group protocols of a Network Load Balancer.
pub const NLB_PROTOCOLS: [&str; 4] = ["TCP", "TLS", "UDP", "TCP_UDP"];

/// Whether a target group protocol belongs to a Network Load Balancer.
pub fn is_nlb_protocol(protocol: &str) -> bool {
    NLB_PROTOCOLS.contains(&protocol)
}

/// Which load balancer a target group protocol belongs to, as the console names it.
pub fn load_balancer_type(protocol: &str) -> &'static str {
    if is_nlb_protocol(protocol) {
        "network"
    } else {
        "application"
    }
}

/// The health check settings a target group gets (given values or the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheckSettings {
    /// TCP, HTTP or HTTPS.
    pub protocol: String,
    /// "" for a TCP health check (no path).
    pub path: String,
    /// "" for a TCP health check (no matcher).
    pub matcher: String,
    pub interval: u32,
    pub timeout: u32,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
}

fn bounded(v: Option<u32>, default: u32, lo: u32, hi: u32, field: &str) -> ApiResult<u32> {
    let x = v.unwrap_or(default);
    if (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(ApiError::new("ValidationError", field, format!("{field} must be between {lo} and {hi}.")))
    }
}

/// "The amount of time, in seconds, during which no response means a failed health check"
/// must be smaller than the interval (ELBv2 CreateTargetGroup), for either kind of group.
fn timeout_below_interval(timeout: u32, interval: u32) -> ApiResult<()> {
    if timeout >= interval {
        return Err(ApiError::new(
            "ValidationError",
            "HealthCheckTimeoutSeconds",
            "Health check timeout must be smaller than the interval.",
        ));
    }
    Ok(())
}

/// `HealthyThresholdCount` (default 5) and `UnhealthyThresholdCount` (default 2), 2-10 each.
fn thresholds(tg: &CreateTargetGroup) -> ApiResult<(u32, u32)> {
    Ok((
        bounded(tg.healthy_threshold_count, 5, 2, 10, "HealthyThresholdCount")?,
        bounded(tg.unhealthy_threshold_count, 2, 2, 10, "UnhealthyThresholdCount")?,
    ))
}

/// The health check settings of an Application Load Balancer target group, whose health check
/// `protocol` [`alb_health_check_protocol`] gave, with ELBv2 CreateTargetGroup's ALB defaults:
/// interval 30 s, timeout 5 s, healthy threshold 5, unhealthy threshold 2, path "/", matcher 200.
pub fn alb_health_check(tg: &CreateTargetGroup, protocol: String) -> ApiResult<HealthCheckSettings> {
    let interval = bounded(tg.health_check_interval_seconds, 30, 5, 300, "HealthCheckIntervalSeconds")?;
    let timeout = bounded(tg.health_check_timeout_seconds, 5, 2, 120, "HealthCheckTimeoutSeconds")?;
    timeout_below_interval(timeout, interval)?;
    let (healthy_threshold, unhealthy_threshold) = thresholds(tg)?;
    Ok(HealthCheckSettings {
        protocol,
        path: tg.health_check_path.clone().unwrap_or_else(|| "/".into()),
        matcher: tg.matcher.as_ref().and_then(|m| m.http_code.clone()).unwrap_or_else(|| "200".into()),
        interval,
        timeout,
        healthy_threshold,
        unhealthy_threshold,
    })
}

/// An ALB (HTTP/HTTPS) target group's `HealthCheckProtocol`: TCP is refused ("The TCP protocol is
/// not supported for health checks if the protocol of the target group is HTTP or HTTPS").
/// Returns the health check protocol (default HTTP, as the playground always used).
pub fn alb_health_check_protocol(tg: &CreateTargetGroup) -> ApiResult<String> {
    let protocol = tg.protocol.as_deref().unwrap_or("HTTP");
    match tg.health_check_protocol.as_deref() {
        None => Ok(protocol.to_string()),
        Some(p @ ("HTTP" | "HTTPS")) => Ok(p.to_string()),
        Some("TCP") => Err(ApiError::new(
            "ValidationError",
            "HealthCheckProtocol",
            format!("The TCP protocol is not supported for health checks if the protocol of the target group is {protocol}."),
        )),
        Some(p) => Err(ApiError::new(
            "ValidationError",
            "HealthCheckProtocol",
            format!("Health check protocol '{p}' is not supported: use HTTP or HTTPS for an Application Load Balancer target group."),
        )),
    }
}

/// The health check settings of a Network Load Balancer target group (`Protocol` TCP, TLS, UDP
/// or TCP_UDP), with the NLB defaults. Errors name the CreateTargetGroup field.
pub fn nlb_health_check(tg: &CreateTargetGroup) -> ApiResult<HealthCheckSettings> {
    let hc = tg.health_check_protocol.clone().unwrap_or_else(|| "TCP".into());
    if !["TCP", "HTTP", "HTTPS"].contains(&hc.as_str()) {
        return Err(ApiError::new(
            "ValidationError",
            "HealthCheckProtocol",
            format!("Health check protocol '{hc}' is not supported: a Network Load Balancer target group checks with TCP (the default), HTTP or HTTPS."),
        ));
    }
    let tcp = hc == "TCP";
    if tcp {
        if tg.health_check_path.is_some() {
            return Err(ApiError::new(
                "ValidationError",
                "HealthCheckPath",
                "A health check path is not supported for health check protocol 'TCP': a TCP health check only opens a connection.",
            ));
        }
        if tg.matcher.is_some() {
            return Err(ApiError::new(
                "ValidationError",
                "Matcher",
                "A health check matcher is not supported for health check protocol 'TCP': there is no HTTP response to match.",
            ));
        }
    }
    let interval = bounded(tg.health_check_interval_seconds, 30, 5, 300, "HealthCheckIntervalSeconds")?;
    let timeout = bounded(
        tg.health_check_timeout_seconds,
        if hc == "HTTP" { 6 } else { 10 },
        2,
        120,
        "HealthCheckTimeoutSeconds",
    )?;
    timeout_below_interval(timeout, interval)?;
    let (healthy_threshold, unhealthy_threshold) = thresholds(tg)?;
    let (path, matcher) = if tcp {
        (String::new(), String::new())
    } else {
        let matcher = tg.matcher.as_ref().and_then(|m| m.http_code.clone()).unwrap_or_else(|| "200-399".into());
        (tg.health_check_path.clone().unwrap_or_else(|| "/".into()), matcher)
    };
    Ok(HealthCheckSettings { protocol: hc, path, matcher, interval, timeout, healthy_threshold, unhealthy_threshold })
}

/// Whether targets see the client's IP address as the source of a connection. An ALB opens its
/// own connection to the target (the client's address travels in `X-Forwarded-For`), so never.
/// An NLB: the `preserve_client_ip.enabled` attribute, whose default is "Instance type target
/// groups: Enabled; IP type target groups (UDP, TCP_UDP ...): Enabled; IP type target groups
/// (TCP, TLS): Disabled", and which cannot be disabled for UDP and TCP_UDP ("Edit target group
/// attributes for your Network Load Balancer", "Client IP preservation",
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html).
/// Errors name `Attributes[i].Value`.
pub fn client_ip_preserved(tg: &CreateTargetGroup) -> ApiResult<bool> {
    let protocol = tg.protocol.as_deref().unwrap_or("HTTP");
    if !is_nlb_protocol(protocol) {
        if let Some(i) = tg.attributes.iter().position(|a| a.key == "preserve_client_ip.enabled") {
            return Err(ApiError::new(
                "ValidationError",
                format!("Attributes[{i}].Key"),
                "preserve_client_ip.enabled is a Network Load Balancer target group attribute.",
            ));
        }
        return Ok(false);
    }
    let ip = tg.target_type.as_deref() == Some("ip");
    let fixed_on = matches!(protocol, "UDP" | "TCP_UDP");
    let mut on = !ip || fixed_on;
    for (i, a) in tg.attributes.iter().enumerate() {
        if a.key != "preserve_client_ip.enabled" {
            continue;
        }
        on = match a.value.as_str() {
            "true" => true,
            "false" if fixed_on => {
                return Err(ApiError::new(
                    "ValidationError",
                    format!("Attributes[{i}].Value"),
                    format!("Client IP preservation cannot be disabled for {protocol} target groups."),
                ))
            }
            "false" => false,
            _ => {
                return Err(ApiError::new(
                    "ValidationError",
                    format!("Attributes[{i}].Value"),
                    "preserve_client_ip.enabled must be true or false.",
                ))
            }
        };
    }
    Ok(on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tg(json: &str) -> CreateTargetGroup {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn protocols() {
        assert!(is_nlb_protocol("TCP") && is_nlb_protocol("UDP") && !is_nlb_protocol("HTTP"));
        assert_eq!(load_balancer_type("TLS"), "network");
        assert_eq!(load_balancer_type("HTTPS"), "application");
    }

    #[test]
    fn tcp_defaults_have_no_path_or_matcher() {
        let s = nlb_health_check(&tg(r#"{"Name":"n","Protocol":"TCP","Port":80}"#)).unwrap();
        assert_eq!((s.protocol.as_str(), s.path.as_str(), s.matcher.as_str()), ("TCP", "", ""));
        assert_eq!((s.interval, s.timeout, s.healthy_threshold, s.unhealthy_threshold), (30, 10, 5, 2));
    }

    #[test]
    fn http_check_on_an_nlb_defaults_to_200_399() {
        let s = nlb_health_check(&tg(r#"{"Name":"n","Protocol":"TCP","HealthCheckProtocol":"HTTP"}"#)).unwrap();
        assert_eq!((s.path.as_str(), s.matcher.as_str(), s.timeout), ("/", "200-399", 6));
    }

    #[test]
    fn client_ip_preservation_defaults() {
        assert!(client_ip_preserved(&tg(r#"{"Name":"n","Protocol":"TCP","TargetType":"instance"}"#)).unwrap());
        assert!(!client_ip_preserved(&tg(r#"{"Name":"n","Protocol":"TCP","TargetType":"ip"}"#)).unwrap());
        assert!(client_ip_preserved(&tg(r#"{"Name":"n","Protocol":"UDP","TargetType":"ip"}"#)).unwrap());
        assert!(client_ip_preserved(&tg(
            r#"{"Name":"n","Protocol":"TCP","TargetType":"ip","Attributes":[{"Key":"preserve_client_ip.enabled","Value":"true"}]}"#
        ))
        .unwrap());
        assert!(!client_ip_preserved(&tg(r#"{"Name":"a","Protocol":"HTTP"}"#)).unwrap());
        let e = client_ip_preserved(&tg(
            r#"{"Name":"n","Protocol":"UDP","TargetType":"ip","Attributes":[{"Key":"preserve_client_ip.enabled","Value":"false"}]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.field, "Attributes[0].Value");
    }

    #[test]
    fn bad_inputs_name_the_field() {
        let e = nlb_health_check(&tg(r#"{"Name":"n","Protocol":"TCP","HealthCheckPath":"/health"}"#)).unwrap_err();
        assert_eq!(e.field, "HealthCheckPath");
        let e = nlb_health_check(&tg(r#"{"Name":"n","Protocol":"TCP","Matcher":{"HttpCode":"200"}}"#)).unwrap_err();
        assert_eq!(e.field, "Matcher");
        let e = nlb_health_check(&tg(r#"{"Name":"n","Protocol":"UDP","HealthCheckProtocol":"UDP"}"#)).unwrap_err();
        assert_eq!(e.field, "HealthCheckProtocol");
        let e = alb_health_check_protocol(&tg(r#"{"Name":"a","Protocol":"HTTP","HealthCheckProtocol":"TCP"}"#))
            .unwrap_err();
        assert_eq!(e.field, "HealthCheckProtocol");
        assert!(e.message.contains("TCP protocol is not supported"), "{}", e.message);
    }
}
