//! A small writer of HCL (Terraform's native syntax): blocks, attributes, and JSON values as HCL
//! expressions (for `jsonencode(...)`). Strings are escaped the HCL way: `\n`, `\t`, `\"`, `\\`,
//! `\uNNNN` for other control characters, and `$${` / `%%{` so no template sequence is started.

use serde_json::Value;

/// An HCL string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key: bare when it is an identifier that cannot be read as a keyword, else quoted.
pub fn key(k: &str) -> String {
    let ident = k.chars().next().map(|c| c.is_ascii_alphabetic() || c == '_').unwrap_or(false)
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident && !matches!(k, "true" | "false" | "null" | "for" | "in" | "if") {
        k.to_string()
    } else {
        string(k)
    }
}

/// A JSON value as an HCL expression, indented by `indent` levels of two spaces.
pub fn value(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(|x| format!("{pad}{}", value(x, indent + 1))).collect();
            format!("[\n{},\n{end}]", items.join(",\n"))
        }
        Value::Object(o) if o.is_empty() => "{}".into(),
        Value::Object(o) => {
            let items: Vec<String> =
                o.iter().map(|(k, x)| format!("{pad}{} = {}", key(k), value(x, indent + 1))).collect();
            format!("{{\n{}\n{end}}}", items.join("\n"))
        }
    }
}

/// Builds a Terraform file block by block.
#[derive(Default)]
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    pub fn open(&mut self, header: &str) {
        self.line(&format!("{header} {{"));
        self.depth += 1;
    }
    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.line("}");
    }
    /// `name = <expression>` (the expression is written as given).
    pub fn attr(&mut self, name: &str, expr: &str) {
        self.line(&format!("{name} = {expr}"));
    }
    pub fn attr_str(&mut self, name: &str, s: &str) {
        self.attr(name, &string(s));
    }
    pub fn attr_num(&mut self, name: &str, n: impl ToString) {
        self.attr(name, &n.to_string());
    }
    /// `name = <JSON value as HCL>`, indented to the current depth.
    pub fn attr_value(&mut self, name: &str, v: &Value) {
        let e = value(v, self.depth);
        self.attr(name, &e);
    }
    pub fn blank(&mut self) {
        self.out.push('\n');
    }
    pub fn comment(&mut self, text: &str) {
        for l in text.lines() {
            self.line(&format!("# {l}"));
        }
    }
    fn line(&mut self, text: &str) {
        for (i, l) in text.split('\n').enumerate() {
            if i == 0 {
                self.out.push_str(&"  ".repeat(self.depth));
            }
            self.out.push_str(l);
            self.out.push('\n');
        }
    }
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_escape_templates_and_controls() {
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(string("${HOME} %{if} $x"), r#""$${HOME} %%{if} $x""#);
        assert_eq!(string("\u{8}"), r#""\u0008""#);
    }

    #[test]
    fn keys_are_quoted_when_needed() {
        assert_eq!(key("containerPort"), "containerPort");
        assert_eq!(key("awslogs-group"), "awslogs-group");
        assert_eq!(key("com.example.label"), "\"com.example.label\"");
        assert_eq!(key("for"), "\"for\"");
        assert_eq!(key("1x"), "\"1x\"");
    }

    #[test]
    fn values_nest() {
        let v = json!([{"name": "web", "portMappings": [{"containerPort": 80}], "essential": true}]);
        assert_eq!(
            value(&v, 0),
            "[\n  {\n    essential = true\n    name = \"web\"\n    portMappings = [\n      {\n        containerPort = 80\n      },\n    ]\n  },\n]"
        );
    }
}
