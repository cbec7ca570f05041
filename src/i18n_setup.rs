//! Which language the page speaks: `?lang=` in the URL first (a share link or a course note picks
//! it), then the browser's preferred languages (`navigator.languages`), then English. The tags
//! are the ones the rest of the project uses (lesson files, share links): `en`, `zh-CN`, `ko`,
//! `ru`. Translations live in `locales/*.json`, compiled into the `i18n` module by `build.rs`
//! (leptos_i18n).

use crate::i18n::Locale;
use leptos_i18n::I18nContext;
use std::cell::Cell;

/// The query parameter that carries the language in a link.
pub const LANG_PARAM: &str = "lang";

/// Every language, in the order of the language menu.
pub const LOCALES: [Locale; 4] = [Locale::en, Locale::zh_CN, Locale::ko, Locale::ru];

/// The tag of a language as it appears in links and lesson files.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
        Locale::ko => "ko",
        Locale::ru => "ru",
    }
}

/// A BCP 47 tag (any case, `-` or `_`) to one of our languages, by its primary language subtag:
/// `zh`, `zh-CN`, `zh-Hans-CN` and `zh-SG` read Simplified Chinese; `en-GB` reads English.
pub fn parse_tag(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Locale::en),
        "zh" => Some(Locale::zh_CN),
        "ko" => Some(Locale::ko),
        "ru" => Some(Locale::ru),
        _ => None,
    }
}

/// The language named by `lang=` in a query string (`?a=1&lang=ko`, with or without the `?`).
/// An unknown value is ignored (the browser's language applies), never an error.
pub fn lang_from_query(search: &str) -> Option<Locale> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == LANG_PARAM)
        .find_map(|(_, v)| parse_tag(v))
}

/// The query string with `lang=` set to `locale` (other parameters kept, in order).
pub fn query_with_lang(search: &str, locale: Locale) -> String {
    let mut parts: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(LANG_PARAM))
        .map(str::to_string)
        .collect();
    parts.push(format!("{LANG_PARAM}={}", tag(locale)));
    format!("?{}", parts.join("&"))
}

/// The first of the browser's preferred languages that we speak.
pub fn from_preferred<S: AsRef<str>>(preferred: &[S]) -> Option<Locale> {
    preferred.iter().find_map(|l| parse_tag(l.as_ref()))
}

/// The language to open with: the link's `lang=`, else the browser's, else English.
pub fn initial_locale<S: AsRef<str>>(search: &str, preferred: &[S]) -> Locale {
    lang_from_query(search).or_else(|| from_preferred(preferred)).unwrap_or(Locale::en)
}

/// The page's query string and `navigator.languages` (empty outside a browser).
pub fn browser_inputs() -> (String, Vec<String>) {
    let Some(w) = web_sys::window() else { return (String::new(), vec![]) };
    let search = w.location().search().unwrap_or_default();
    let langs = w.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    (search, langs)
}

/// Put `lang=` in the address bar without reloading, so a reload or a copied link keeps the
/// language the user chose.
pub fn remember_in_url(locale: Locale) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let (Ok(path), Ok(search), Ok(hash)) = (loc.pathname(), loc.search(), loc.hash()) else { return };
    let url = format!("{path}{}{hash}", query_with_lang(&search, locale));
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

thread_local! {
    /// The mounted app's i18n context, for text made outside a component (action notices).
    static CONTEXT: Cell<Option<I18nContext<Locale>>> = const { Cell::new(None) };
}

/// Remember the app's i18n context (called once by `App`).
pub fn set_context(i18n: I18nContext<Locale>) {
    CONTEXT.with(|c| c.set(Some(i18n)));
}

/// The language shown now (English before the app is mounted), without tracking.
pub fn current_locale() -> Locale {
    CONTEXT.with(|c| c.get()).map(|i| i.get_locale_untracked()).unwrap_or(Locale::en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn lang_in_the_query_wins_over_the_browser() {
        assert_eq!(initial_locale("?lang=ko", &["ru-RU"]), Locale::ko);
        assert_eq!(initial_locale("?scenario=x&lang=zh-CN&t=30", &["en"]), Locale::zh_CN);
        assert_eq!(initial_locale("lang=ru", &[] as &[&str]), Locale::ru);
    }

    #[test]
    fn browser_languages_are_matched_by_primary_subtag_in_order() {
        assert_eq!(initial_locale("", &["fr-FR", "zh-CN", "en"]), Locale::zh_CN);
        assert_eq!(initial_locale("", &["ko-KR"]), Locale::ko);
        assert_eq!(initial_locale("", &["zh-Hans-CN"]), Locale::zh_CN);
        assert_eq!(initial_locale("", &["de", "fr"]), Locale::en);
        assert_eq!(initial_locale("?lang=xx", &["ru"]), Locale::ru, "an unknown lang= falls back to the browser");
    }

    #[test]
    fn query_with_lang_replaces_only_lang() {
        assert_eq!(query_with_lang("?t=30&lang=en&speed=10", Locale::ko), "?t=30&speed=10&lang=ko");
        assert_eq!(query_with_lang("", Locale::zh_CN), "?lang=zh-CN");
        for l in LOCALES {
            assert_eq!(lang_from_query(&query_with_lang("?a=1", l)), Some(l), "round trip of {}", tag(l));
        }
    }

    /// The leaf keys of a locale file, as dotted paths.
    fn keys(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    keys(v, &format!("{prefix}{k}."), out);
                }
            }
            _ => {
                out.insert(prefix.trim_end_matches('.').to_string());
            }
        }
    }

    fn locale_file(tag: &str) -> serde_json::Value {
        let path = format!("{}/locales/{tag}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn leaf<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
        key.split('.').try_fold(v, |v, k| v.get(k))?.as_str()
    }

    /// leptos_i18n's build step warns about missing keys and then silently shows the English
    /// text, so a forgotten key would not fail the build: this test makes it fail.
    #[test]
    fn every_locale_file_has_exactly_the_english_key_set() {
        let mut en = BTreeSet::new();
        keys(&locale_file("en"), "", &mut en);
        assert!(en.len() > 100, "en.json has {} keys", en.len());
        for l in LOCALES {
            let mut k = BTreeSet::new();
            keys(&locale_file(tag(l)), "", &mut k);
            let missing: Vec<_> = en.difference(&k).collect();
            let extra: Vec<_> = k.difference(&en).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", tag(l));
        }
    }

    /// Values that the AWS consoles in Chinese, Korean and Russian also show as they are:
    /// product and metric names, units, and texts made only of placeholders and symbols.
    const SAME_AS_ENGLISH: &[&str] = &[
        "app.title",
        "alb.name",
        // Korean and Russian keep the product name in English, as for the Application Load Balancer.
        "alb.nlb_name",
        "instance.cpu",
        "details.cpu",
        "instance.memory_detail",
        "timeline.position",
        "alb.target_group_detail",
        "task.label",
        // The aggregated picture's count of instances in the API's DRAINING status.
        "heat.draining",
        // Blue/green rows: API enum values and percentages around translated words.
        "traffic.stage",
        "traffic.rule",
        "traffic.share",
    ];

    /// A translation left in English is the usual slip; each non-English file must translate
    /// every text but the few listed above. Interpolation variables must also match English.
    #[test]
    fn no_text_is_left_in_english_and_placeholders_match() {
        let en_file = locale_file("en");
        let mut en = BTreeSet::new();
        keys(&en_file, "", &mut en);
        let vars = |s: &str| -> BTreeSet<String> {
            s.split("{{").skip(1).filter_map(|p| p.split_once("}}")).map(|(v, _)| v.trim().to_string()).collect()
        };
        for l in [Locale::zh_CN, Locale::ko, Locale::ru] {
            let file = locale_file(tag(l));
            for key in &en {
                let (Some(e), Some(t)) = (leaf(&en_file, key), leaf(&file, key)) else { continue };
                assert!(!t.trim().is_empty(), "{}: {key} is empty", tag(l));
                let allowed = SAME_AS_ENGLISH.contains(&key.as_str());
                assert!(e != t || allowed, "{}: {key} is still the English text {e:?}", tag(l));
                assert_eq!(vars(e), vars(t), "{}: {key} has other placeholders than English", tag(l));
            }
        }
    }
}
