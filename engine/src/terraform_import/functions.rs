//! Terraform's built-in functions that configurations for ECS use, over JSON values
//! (https://developer.hashicorp.com/terraform/language/functions). Type conversion follows
//! Terraform's rules: numbers and bools convert to strings and back where a string is expected.
//! Functions that need the outside world (`timestamp`, `uuid`, `templatefile`) are not here.

use hcl_edit::expr::BinaryOperator;
use serde_json::{Map, Value};

pub(super) fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)
    }
}

pub(super) fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A primitive as Terraform converts it to a string.
pub(super) fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn display(v: &Value) -> String {
    as_string(v).unwrap_or_else(|| v.to_string())
}

fn list(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Null => Ok(vec![]),
        _ => Err("needs a list".into()),
    }
}

fn string(v: &Value) -> Result<String, String> {
    as_string(v).ok_or_else(|| "needs a string".into())
}

fn number(v: &Value) -> Result<f64, String> {
    as_f64(v).ok_or_else(|| "needs a number".into())
}

fn arg(args: &[Value], i: usize) -> Result<&Value, String> {
    args.get(i).ok_or_else(|| format!("needs at least {} argument(s)", i + 1))
}

/// `format`'s verbs %s, %d, %v, %q, %f and %%.
fn format(spec: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut it = spec.chars().peekable();
    let mut k = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Skip flags/width/precision (e.g. %03d, %.2f).
        let mut flags = String::new();
        while let Some(&d) = it.peek() {
            if d.is_ascii_digit() || d == '.' || d == '-' || d == '+' || d == '#' || d == ' ' {
                flags.push(d);
                it.next();
            } else {
                break;
            }
        }
        let verb = it.next().ok_or("a % at the end of the format")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let v = args.get(k).ok_or("more verbs than arguments")?;
        k += 1;
        match verb {
            'd' => {
                let n = number(v)? as i64;
                let width: usize = flags.trim_start_matches('0').parse().unwrap_or(0);
                let s = n.to_string();
                if flags.starts_with('0') && s.len() < width {
                    out.push_str(&"0".repeat(width - s.len()));
                } else if s.len() < width {
                    out.push_str(&" ".repeat(width - s.len()));
                }
                out.push_str(&s);
            }
            'f' => {
                let prec: usize = flags.split('.').nth(1).and_then(|p| p.parse().ok()).unwrap_or(6);
                out.push_str(&format!("{:.*}", prec, number(v)?));
            }
            'q' => out.push_str(&serde_json::to_string(&string(v)?).unwrap_or_default()),
            's' | 'v' => out.push_str(&as_string(v).unwrap_or_else(|| v.to_string())),
            other => return Err(format!("the verb %{other} is not supported here")),
        }
    }
    Ok(out)
}

/// Calls a built-in function on evaluated arguments.
pub(super) fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let a0 = || arg(args, 0);
    Ok(match name {
        "jsonencode" => Value::String(serde_json::to_string(a0()?).map_err(|e| e.to_string())?),
        "jsondecode" => serde_json::from_str(&string(a0()?)?).map_err(|e| format!("not JSON: {e}"))?,
        "tolist" | "toset" => {
            let mut l = list(a0()?)?;
            if name == "toset" {
                let mut seen = Vec::new();
                l.retain(|x| {
                    let dup = seen.contains(x);
                    if !dup {
                        seen.push(x.clone());
                    }
                    !dup
                });
            }
            Value::Array(l)
        }
        "tomap" => match a0()? {
            Value::Object(m) => Value::Object(m.clone()),
            _ => return Err("needs an object".into()),
        },
        "tostring" => match a0()? {
            Value::Null => Value::Null,
            v => Value::String(string(v)?),
        },
        "tonumber" => match a0()? {
            Value::Null => Value::Null,
            v => num(number(v)?),
        },
        "tobool" => match a0()? {
            Value::Null => Value::Null,
            v => Value::Bool(as_bool(v).ok_or("needs true or false")?),
        },
        "format" => Value::String(format(&string(a0()?)?, &args[1..])?),
        "join" => {
            let sep = string(a0()?)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                for x in list(l)? {
                    parts.push(string(&x)?);
                }
            }
            Value::String(parts.join(&sep))
        }
        "split" => {
            let sep = string(a0()?)?;
            let s = string(arg(args, 1)?)?;
            Value::Array(s.split(sep.as_str()).map(|p| Value::String(p.to_string())).collect())
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l)?);
            }
            Value::Array(out)
        }
        "flatten" => {
            fn flat(v: &Value, out: &mut Vec<Value>) {
                match v {
                    Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
                    other => out.push(other.clone()),
                }
            }
            let mut out = Vec::new();
            flat(a0()?, &mut out);
            Value::Array(out)
        }
        "compact" => Value::Array(
            list(a0()?)?.into_iter().filter(|x| !matches!(x, Value::Null) && x.as_str() != Some("")).collect(),
        ),
        "distinct" => call("toset", args)?,
        "length" => match a0()? {
            Value::Array(a) => Value::from(a.len()),
            Value::Object(m) => Value::from(m.len()),
            Value::String(s) => Value::from(s.chars().count()),
            _ => return Err("needs a list, map or string".into()),
        },
        "element" => {
            let l = list(a0()?)?;
            if l.is_empty() {
                return Err("the list is empty".into());
            }
            let i = number(arg(args, 1)?)? as usize;
            l[i % l.len()].clone()
        }
        "index" => {
            let l = list(a0()?)?;
            let x = arg(args, 1)?;
            Value::from(l.iter().position(|y| y == x).ok_or("the value is not in the list")?)
        }
        "contains" => Value::Bool(list(a0()?)?.contains(arg(args, 1)?)),
        "slice" => {
            let l = list(a0()?)?;
            let (s, e) = (number(arg(args, 1)?)? as usize, number(arg(args, 2)?)? as usize);
            if s > e || e > l.len() {
                return Err("the range is outside the list".into());
            }
            Value::Array(l[s..e].to_vec())
        }
        "reverse" => Value::Array(list(a0()?)?.into_iter().rev().collect()),
        "sort" => {
            let mut l: Vec<String> = list(a0()?)?.iter().map(string).collect::<Result<_, _>>()?;
            l.sort();
            Value::Array(l.into_iter().map(Value::String).collect())
        }
        "range" => {
            let nums: Vec<f64> = args.iter().map(number).collect::<Result<_, _>>()?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, 1.0),
                [s, e, st] => (*s, *e, *st),
                _ => return Err("needs 1 to 3 numbers".into()),
            };
            if step == 0.0 || ((end - start) / step) > 1024.0 {
                return Err("the range is too long".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(num(x));
                x += step;
            }
            Value::Array(out)
        }
        "keys" | "values" => match a0()? {
            Value::Object(m) => Value::Array(if name == "keys" {
                m.keys().map(|k| Value::String(k.clone())).collect()
            } else {
                m.values().cloned().collect()
            }),
            _ => return Err("needs a map".into()),
        },
        "lookup" => match a0()? {
            Value::Object(m) => match m.get(&string(arg(args, 1)?)?) {
                Some(v) => v.clone(),
                None => args.get(2).cloned().ok_or("the key is not in the map and there is no default")?,
            },
            _ => return Err("needs a map".into()),
        },
        "merge" => {
            let mut m = Map::new();
            for a in args {
                match a {
                    Value::Object(o) => m.extend(o.clone()),
                    Value::Null => {}
                    _ => return Err("needs maps or objects".into()),
                }
            }
            Value::Object(m)
        }
        "zipmap" => {
            let (k, v) = (list(a0()?)?, list(arg(args, 1)?)?);
            let mut m = Map::new();
            for (k, v) in k.iter().zip(v) {
                m.insert(string(k)?, v);
            }
            Value::Object(m)
        }
        "coalesce" => args
            .iter()
            .find(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
            .cloned()
            .ok_or("every argument is null or empty")?,
        "coalescelist" => {
            args.iter().find(|v| matches!(v, Value::Array(a) if !a.is_empty())).cloned().ok_or("every list is empty")?
        }
        "upper" => Value::String(string(a0()?)?.to_uppercase()),
        "lower" => Value::String(string(a0()?)?.to_lowercase()),
        "title" => Value::String(
            string(a0()?)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trimspace" => Value::String(string(a0()?)?.trim().to_string()),
        "trimprefix" => {
            let s = string(a0()?)?;
            let p = string(arg(args, 1)?)?;
            Value::String(s.strip_prefix(p.as_str()).unwrap_or(&s).to_string())
        }
        "trimsuffix" => {
            let s = string(a0()?)?;
            let p = string(arg(args, 1)?)?;
            Value::String(s.strip_suffix(p.as_str()).unwrap_or(&s).to_string())
        }
        "replace" => {
            let s = string(a0()?)?;
            let from = string(arg(args, 1)?)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Err("regular expression patterns are not evaluated here".into());
            }
            Value::String(s.replace(&from, &string(arg(args, 2)?)?))
        }
        "substr" => {
            let s: Vec<char> = string(a0()?)?.chars().collect();
            let off = number(arg(args, 1)?)? as usize;
            let len = number(arg(args, 2)?)?;
            let end = if len < 0.0 { s.len() } else { (off + len as usize).min(s.len()) };
            Value::String(s.get(off.min(s.len())..end.max(off.min(s.len()))).unwrap_or(&[]).iter().collect())
        }
        "min" | "max" => {
            let nums: Vec<f64> = args.iter().map(number).collect::<Result<_, _>>()?;
            let first = *nums.first().ok_or("needs at least one number")?;
            num(nums.iter().fold(first, |a, &b| if name == "min" { a.min(b) } else { a.max(b) }))
        }
        "abs" => num(number(a0()?)?.abs()),
        "ceil" => num(number(a0()?)?.ceil()),
        "floor" => num(number(a0()?)?.floor()),
        "parseint" => {
            let s = string(a0()?)?;
            let base = number(arg(args, 1)?)? as u32;
            num(i64::from_str_radix(&s, base).map_err(|e| e.to_string())? as f64)
        }
        "startswith" => Value::Bool(string(a0()?)?.starts_with(&string(arg(args, 1)?)?)),
        "endswith" => Value::Bool(string(a0()?)?.ends_with(&string(arg(args, 1)?)?)),
        "one" => {
            let l = list(a0()?)?;
            match l.len() {
                0 => Value::Null,
                1 => l[0].clone(),
                _ => return Err("the list has more than one element".into()),
            }
        }
        other => return Err(format!("the function {other} is not evaluated here")),
    })
}

/// Terraform's binary operators on known values.
pub(super) fn binary(op: BinaryOperator, l: &Value, r: &Value) -> Option<Value> {
    use BinaryOperator::*;
    Some(match op {
        Eq => Value::Bool(loose_eq(l, r)),
        NotEq => Value::Bool(!loose_eq(l, r)),
        And => Value::Bool(as_bool(l)? && as_bool(r)?),
        Or => Value::Bool(as_bool(l)? || as_bool(r)?),
        _ => {
            let (a, b) = (as_f64(l)?, as_f64(r)?);
            match op {
                LessEq => Value::Bool(a <= b),
                GreaterEq => Value::Bool(a >= b),
                Less => Value::Bool(a < b),
                Greater => Value::Bool(a > b),
                Plus => num(a + b),
                Minus => num(a - b),
                Mul => num(a * b),
                Div if b != 0.0 => num(a / b),
                Mod if b != 0.0 => num(a % b),
                _ => return None,
            }
        }
    })
}

fn loose_eq(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(_), Value::Number(_)) => as_f64(l) == as_f64(r),
        _ => l == r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_and_join() {
        assert_eq!(format("%s-%03d", &[json!("web"), json!(7)]).unwrap(), "web-007");
        assert_eq!(call("join", &[json!(","), json!(["a", "b"])]).unwrap(), json!("a,b"));
    }

    #[test]
    fn jsonencode_keeps_numbers() {
        assert_eq!(call("jsonencode", &[json!([{"containerPort": 80}])]).unwrap(), json!("[{\"containerPort\":80}]"));
    }

    #[test]
    fn conversions_follow_terraform() {
        assert_eq!(call("tonumber", &[json!("256")]).unwrap(), json!(256));
        assert_eq!(call("tostring", &[json!(256)]).unwrap(), json!("256"));
        assert_eq!(call("toset", &[json!(["a", "a", "b"])]).unwrap(), json!(["a", "b"]));
        assert!(call("element", &[json!([])]).is_err());
    }
}
