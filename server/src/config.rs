//! Runtime configuration: `Leptos.toml` (its `[refract]` table) overridden by environment
//! variables; a missing file means the defaults. Loaded once at start and passed down.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub site_addr: SocketAddr,
    /// Where users reach the site (links in invites); defaults to http://<site_addr>.
    pub public_url: Option<String>,
    /// sqlite://path or postgres://user:pass@host/db
    pub database_url: String,
    /// Files the server writes (the SQLite database, uploads).
    pub data_dir: PathBuf,
    /// Directory holding the built site (pkg/, icons, manifest, service worker).
    pub site_root: PathBuf,
    /// Mark cookies Secure and send HSTS: set when served over HTTPS.
    pub https: bool,
    /// Read the client address from X-Forwarded-For (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// JSON log lines instead of human-readable ones.
    pub log_json: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Login throttling: failures allowed per 15 minutes.
    pub max_login_failures_per_account: i64,
    pub max_login_failures_per_ip: i64,
    /// Monthly chart/analysis quotas and chart request rates per plan (`[refract.plans.free]`...).
    pub plans: app::ssr::services::charts::quota::Plans,
    /// Polygon.io API key: enables `POST /market/bars/fetch`.
    pub polygon_api_key: Option<String>,
    /// Polygon's base URL (tests point it at a local fake).
    pub polygon_base_url: String,
    /// The LLM chart analyst: `anthropic` or `openai` (any OpenAI-compatible server).
    pub llm_provider: String,
    /// Its API key: with none, analyses come from the technical analyst alone.
    pub llm_api_key: Option<String>,
    /// Base URL; empty means the provider's own (`https://api.anthropic.com`,
    /// `https://api.openai.com/v1`).
    pub llm_base_url: String,
    /// Model; empty means the provider's default (`claude-sonnet-4-5`, `gpt-4o`).
    pub llm_model: String,
    /// Seconds one question to the model may take before the technical analyst answers.
    pub llm_timeout_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            site_addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            database_url: "sqlite://data/refract.db".into(),
            data_dir: PathBuf::from("data"),
            site_root: PathBuf::from("target/site"),
            https: false,
            trust_proxy: false,
            log_json: false,
            body_limit: 2 * 1024 * 1024,
            max_login_failures_per_account: 5,
            max_login_failures_per_ip: 20,
            plans: Default::default(),
            polygon_api_key: None,
            polygon_base_url: crate::vendors::polygon::DEFAULT_BASE_URL.into(),
            llm_provider: "anthropic".into(),
            llm_api_key: None,
            llm_base_url: String::new(),
            llm_model: String::new(),
            llm_timeout_secs: 60,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
    #[error("setting {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    refract: Option<Config>,
}

impl Config {
    /// Reads `path` if it exists, then applies the environment.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let mut cfg = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str::<File>(&text)
                .map_err(|e| ConfigError::Parse {
                    path: path.display().to_string(),
                    source: Box::new(e),
                })?
                .refract
                .unwrap_or_default(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !matches!(self.llm_provider.as_str(), "anthropic" | "openai") {
            return Err(ConfigError::Invalid {
                key: "llm_provider",
                message: format!("expected anthropic or openai, got '{}'", self.llm_provider),
            });
        }
        if !(1..=600).contains(&self.llm_timeout_secs) {
            return Err(ConfigError::Invalid {
                key: "llm_timeout_secs",
                message: format!("expected 1 to 600 seconds, got {}", self.llm_timeout_secs),
            });
        }
        Ok(())
    }

    /// The LLM analyst's model client, when an API key is set.
    pub fn vision_model(
        &self,
    ) -> Result<Option<std::sync::Arc<dyn app::ssr::vision::VisionModel>>, reqwest::Error> {
        use crate::vendors::{anthropic, openai};
        let Some(key) = self.llm_api_key.as_deref().filter(|k| !k.is_empty()) else {
            return Ok(None);
        };
        let timeout = std::time::Duration::from_secs(self.llm_timeout_secs);
        let or = |v: &str, default: &str| {
            if v.is_empty() {
                default.to_string()
            } else {
                v.to_string()
            }
        };
        Ok(Some(if self.llm_provider == "openai" {
            std::sync::Arc::new(openai::OpenAi::new(
                &or(&self.llm_base_url, openai::DEFAULT_BASE_URL),
                key,
                &or(&self.llm_model, openai::DEFAULT_MODEL),
                timeout,
            )?)
        } else {
            std::sync::Arc::new(anthropic::Anthropic::new(
                &or(&self.llm_base_url, anthropic::DEFAULT_BASE_URL),
                key,
                &or(&self.llm_model, anthropic::DEFAULT_MODEL),
                timeout,
            )?)
        }))
    }

    fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &'static str, v: &str) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e: T::Err| ConfigError::Env {
                name,
                message: e.to_string(),
            })
        }
        fn flag(name: &'static str, v: &str) -> Result<bool, ConfigError> {
            match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::Env {
                    name,
                    message: format!("expected true or false, got '{v}'"),
                }),
            }
        }
        // LEPTOS_SITE_ADDR and LEPTOS_SITE_ROOT are what cargo-leptos sets when it runs us.
        if let Some(v) = get("REFRACT_ADDR").or_else(|| get("LEPTOS_SITE_ADDR")) {
            self.site_addr = parse("REFRACT_ADDR", &v)?;
        }
        if let Some(v) = get("LEPTOS_SITE_ROOT") {
            self.site_root = PathBuf::from(v);
        }
        if let Some(v) = get("DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("REFRACT_POLYGON_API_KEY") {
            self.polygon_api_key = Some(v);
        }
        if let Some(v) = get("REFRACT_POLYGON_BASE_URL") {
            self.polygon_base_url = v;
        }
        // The vendors' own variable names (spec 004's .env) work too.
        if let Some(v) = get("ANTHROPIC_API_KEY") {
            self.llm_provider = "anthropic".into();
            self.llm_api_key = Some(v);
        } else if let Some(v) = get("OPENAI_API_KEY") {
            self.llm_provider = "openai".into();
            self.llm_api_key = Some(v);
        }
        if let Some(v) = get("REFRACT_LLM_PROVIDER") {
            self.llm_provider = v;
        }
        if let Some(v) = get("REFRACT_LLM_API_KEY") {
            self.llm_api_key = Some(v);
        }
        if let Some(v) = get("REFRACT_LLM_BASE_URL") {
            self.llm_base_url = v;
        }
        if let Some(v) = get("REFRACT_LLM_MODEL") {
            self.llm_model = v;
        }
        if let Some(v) = get("REFRACT_LLM_TIMEOUT_SECS") {
            self.llm_timeout_secs = parse("REFRACT_LLM_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = get("REFRACT_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("REFRACT_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = get("REFRACT_HTTPS") {
            self.https = flag("REFRACT_HTTPS", &v)?;
        }
        if let Some(v) = get("REFRACT_TRUST_PROXY") {
            self.trust_proxy = flag("REFRACT_TRUST_PROXY", &v)?;
        }
        if let Some(v) = get("REFRACT_LOG_JSON") {
            self.log_json = flag("REFRACT_LOG_JSON", &v)?;
        }
        Ok(())
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| {
                let scheme = if self.https { "https" } else { "http" };
                format!("{scheme}://{}", self.site_addr)
            })
            .trim_end_matches('/')
            .to_string()
    }

    pub fn settings(&self) -> app::ssr::Settings {
        app::ssr::Settings {
            public_url: self.public_url(),
            max_failures_per_account: self.max_login_failures_per_account,
            max_failures_per_ip: self.max_login_failures_per_ip,
            trust_proxy: self.trust_proxy,
            plans: self.plans,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_embedded_sqlite_on_loopback() {
        let c = Config::default();
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/refract.db");
        assert_eq!(c.public_url(), "http://127.0.0.1:3000");
    }

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Leptos.toml");
        std::fs::write(
            &path,
            "[refract]\nsite_addr = \"0.0.0.0:8080\"\nhttps = true\npublic_url = \"https://refract.example/\"\n",
        )
        .unwrap();
        let mut c = Config::load(&path).unwrap();
        assert_eq!(c.site_addr.port(), 8080);
        assert_eq!(c.public_url(), "https://refract.example");
        c.apply_env(|k| (k == "DATABASE_URL").then(|| "postgres://x@y/z".to_string()))
            .unwrap();
        assert_eq!(c.database_url, "postgres://x@y/z");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let mut c = Config::default();
        let e = c
            .apply_env(|k| (k == "REFRACT_HTTPS").then(|| "maybe".to_string()))
            .unwrap_err();
        assert!(e.to_string().contains("REFRACT_HTTPS"), "{e}");
        let e = c
            .apply_env(|k| (k == "REFRACT_ADDR").then(|| "nowhere".to_string()))
            .unwrap_err();
        assert!(e.to_string().contains("REFRACT_ADDR"), "{e}");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Leptos.toml");
        std::fs::write(&path, "[refract]\nsite_adr = \"0.0.0.0:8080\"\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert!(e.to_string().contains("site_adr"), "{e}");
    }

    #[test]
    fn the_llm_analyst_is_configured_by_key() {
        let mut c = Config::default();
        assert!(c.vision_model().unwrap().is_none());
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        c.apply_env(env(&[
            ("OPENAI_API_KEY", "sk-test"),
            ("REFRACT_LLM_MODEL", "llava"),
        ]))
        .unwrap();
        let m = c.vision_model().unwrap().unwrap();
        assert_eq!((m.provider(), m.model()), ("openai", "llava"));
        let mut c = Config::default();
        c.apply_env(env(&[
            ("ANTHROPIC_API_KEY", "k"),
            ("REFRACT_LLM_TIMEOUT_SECS", "5"),
        ]))
        .unwrap();
        let m = c.vision_model().unwrap().unwrap();
        assert_eq!(
            (m.provider(), m.model()),
            ("anthropic", "claude-sonnet-4-5")
        );
        assert_eq!(m.timeout().as_secs(), 5);
        c.llm_provider = "gemini".into();
        let e = c.validate().unwrap_err().to_string();
        assert_eq!(
            e,
            "setting llm_provider: expected anthropic or openai, got 'gemini'"
        );
        c.llm_provider = "openai".into();
        c.llm_timeout_secs = 0;
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("llm_timeout_secs"));
    }
}
