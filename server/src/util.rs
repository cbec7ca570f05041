//! Small helpers: form bodies (query protocol), pagination tokens, XML escaping.

use crate::Fault;
use serde_json::Value;
use std::collections::BTreeMap;

/// `application/x-www-form-urlencoded` into a map (the last value of a repeated key wins).
pub fn parse_form(body: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (b.get(i + 1).and_then(|c| hex(*c)), b.get(i + 2).and_then(|c| hex(*c))) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The values of a query-protocol list: `Name.member.1`, `Name.member.2`, ...
pub fn form_list(form: &BTreeMap<String, String>, name: &str) -> Vec<String> {
    (1..).map_while(|i| form.get(&format!("{name}.member.{i}")).cloned()).collect()
}

/// One page of `items`: AWS's `nextToken` / `maxResults` (an opaque token; here the offset).
/// `max_default` and `max_limit` as the operation documents them.
pub fn paginate<T: Clone>(
    items: &[T],
    input: &Value,
    token_key: &str,
    max_key: &str,
    max_default: usize,
    max_limit: usize,
) -> Result<(Vec<T>, Option<String>), Fault> {
    let max = match input.get(max_key) {
        None | Some(Value::Null) => max_default,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 && n as usize <= max_limit => n as usize,
            _ => {
                return Err(Fault::new(
                    "InvalidParameterException",
                    format!("{max_key} must be a whole number between 1 and {max_limit}."),
                ))
            }
        },
    };
    let start = match input.get(token_key).and_then(Value::as_str) {
        None => 0,
        Some(t) => t
            .strip_prefix("ecs-sim-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| Fault::new("InvalidParameterException", format!("Invalid {token_key}.")))?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| format!("ecs-sim-{end}"));
    Ok((items[start..end].to_vec(), next))
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// A string field of a JSON input, or None.
pub fn s<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

/// A list of strings of a JSON input (missing: empty); a wrong type is a SerializationException.
pub fn strings(input: &Value, key: &str) -> Result<Vec<String>, Fault> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Fault::new("SerializationException", format!("{key} must be a list of strings."))),
        Some(_) => Err(Fault::new("SerializationException", format!("{key} must be a list of strings."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn form_decoding() {
        let f =
            parse_form(b"Action=DescribeTargetHealth&TargetGroupArn=arn%3Aaws%3Aelb%2Fx&Names.member.1=a+b&Bad=%zz");
        assert_eq!(f["Action"], "DescribeTargetHealth");
        assert_eq!(f["TargetGroupArn"], "arn:aws:elb/x");
        assert_eq!(f["Names.member.1"], "a b");
        assert_eq!(f["Bad"], "%zz");
        assert_eq!(form_list(&f, "Names"), vec!["a b"]);
    }
    #[test]
    fn pages() {
        let items: Vec<u32> = (0..5).collect();
        let (p, next) =
            paginate(&items, &serde_json::json!({"maxResults": 2}), "nextToken", "maxResults", 100, 100).unwrap();
        assert_eq!((p, next.clone()), (vec![0, 1], Some("ecs-sim-2".to_string())));
        let (p, next) = paginate(
            &items,
            &serde_json::json!({"maxResults": 4, "nextToken": next}),
            "nextToken",
            "maxResults",
            100,
            100,
        )
        .unwrap();
        assert_eq!((p, next), (vec![2, 3, 4], None));
        assert!(paginate(&items, &serde_json::json!({"maxResults": 0}), "nextToken", "maxResults", 100, 100).is_err());
        assert!(paginate(&items, &serde_json::json!({"nextToken": "x"}), "nextToken", "maxResults", 100, 100).is_err());
    }
}
