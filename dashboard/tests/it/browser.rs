//! A reusable WebDriver harness: Debian's `chromedriver` driving headless Chromium through fantoccini.
//! Tests start a [`Browser`] against a served dashboard, log in through the form, and then go to pages,
//! click, fill fields, read text and wait for downloads as a user would.
//!
//! Without `chromedriver` the tests that need it print a notice and pass, unless `CI` is set (then they
//! fail): install it with `apt-get install chromium chromium-driver`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Where Debian installs the driver.
const DRIVER: &str = "/usr/bin/chromedriver";
/// How long to wait for an element or a text.
const WAIT: Duration = Duration::from_secs(15);

/// A headless Chromium session on a dashboard; the driver process ends when this is dropped.
pub struct Browser {
    client: Client,
    driver: Child,
    base: String,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn driver_path() -> Option<String> {
    [DRIVER, "/usr/lib/chromium/chromedriver"]
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
        .or_else(|| {
            let out = Command::new("which").arg("chromedriver").output().ok()?;
            let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (!p.is_empty()).then_some(p)
        })
}

impl Browser {
    /// Starts chromedriver and a headless browser for the dashboard at `base` (`http://127.0.0.1:PORT`);
    /// `None`, after a notice, when chromedriver is not installed and `CI` is not set.
    pub async fn start(base: &str) -> Option<Browser> {
        let Some(driver) = driver_path() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromedriver is required in CI (apt-get install chromium-driver)"
            );
            eprintln!("chromedriver not found: skipping the WebDriver test (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = std::env::temp_dir().join(format!("redflag_chrome_{}_{port}", std::process::id()));
        let mut caps = serde_json::Map::new();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        args.push("--window-size=1280,1000".into());
        let downloads = profile.join("downloads");
        let mut chrome = serde_json::json!({
            "args": args,
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            },
        });
        if std::path::Path::new("/usr/bin/chromium").exists() {
            chrome["binary"] = "/usr/bin/chromium".into();
        }
        caps.insert("goog:chromeOptions".into(), chrome);
        let url = format!("http://127.0.0.1:{port}");
        let t = Instant::now();
        let client = loop {
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            match builder.connect(&url).await {
                Ok(c) => break c,
                Err(_) if t.elapsed() < WAIT => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(e) => panic!("cannot start a browser session through chromedriver: {e}"),
            }
        };
        Some(Browser { client, driver: child, base: base.trim_end_matches('/').to_string(), profile })
    }

    /// Opens a dashboard path (`/leads`).
    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Logs in through the login form and waits for the lead queue.
    pub async fn login(&self, username: &str, password: &str) {
        self.goto("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("form button[type=submit]").await;
        self.wait_for_text("header.top", username).await;
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!("no element {css} on {}: {e}", self.path().await),
        }
    }

    /// Types `value` into the field `css` (after clearing it).
    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// Chooses the option with `value` in the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Clicks the element `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks the link whose text is `text`.
    pub async fn click_link(&self, text: &str) {
        let el = self.client.wait().at_most(WAIT).for_element(Locator::LinkText(text)).await;
        let el = match el {
            Ok(el) => el,
            Err(e) => panic!("no link {text:?} on {}: {e}", self.path().await),
        };
        el.click().await.unwrap();
    }

    /// The rendered width and height of the element `css`, in CSS pixels.
    pub async fn size(&self, css: &str) -> (f64, f64) {
        let (_, _, w, h) = self.find(css).await.rectangle().await.unwrap();
        (w, h)
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0)
    }

    /// Waits for a finished download whose name ends with `suffix` in the browser's download folder.
    pub async fn wait_for_download(&self, suffix: &str) -> std::path::PathBuf {
        let dir = self.profile.join("downloads");
        let t = Instant::now();
        loop {
            let done = std::fs::read_dir(&dir).ok().and_then(|entries| {
                entries.flatten().map(|e| e.path()).find(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    name.ends_with(suffix) && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
                })
            });
            if let Some(path) = done {
                return path;
            }
            if t.elapsed() >= WAIT * 2 {
                panic!("no download ending {suffix} in {} on {}", dir.display(), self.path().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the element `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Waits until the element `css` shows `needle`; returns its text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let t = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            if t.elapsed() >= WAIT {
                let page = self.client.source().await.unwrap_or_default();
                let tail: String = page.chars().rev().take(1500).collect::<Vec<_>>().into_iter().rev().collect();
                panic!("{css} never showed {needle:?} on {}; it shows {text:?}; page ends: {tail}", self.path().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the browser session.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
