//! Writes the demo site as static files for a web server (used by `bench/crawl_vs_scrapy.sh`).
//!
//! `demosite_export DIR ESCORT_ADS JOB_ADS NGINX_LINES` writes the site generated with the default seed
//! and the given ad counts into DIR, and the nginx `server` block lines that serve it link-identically
//! to the file NGINX_LINES; prints the number of files written.

use std::path::PathBuf;
use std::process::ExitCode;

use redflag_demosite::{DemoConfig, DemoSite, NGINX_SERVER_CONFIG};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, escorts, jobs, nginx] = args.as_slice() else {
        eprintln!("usage: demosite_export DIR ESCORT_ADS JOB_ADS NGINX_LINES");
        return ExitCode::from(2);
    };
    let (Ok(escort_ads), Ok(job_ads)) = (escorts.parse(), jobs.parse()) else {
        eprintln!("demosite_export: ad counts must be numbers");
        return ExitCode::from(2);
    };
    let site = DemoSite::generate(&DemoConfig { escort_ads, job_ads, ..DemoConfig::default() });
    let written =
        site.write_static(&PathBuf::from(dir)).and_then(|n| std::fs::write(nginx, NGINX_SERVER_CONFIG).map(|()| n));
    match written {
        Ok(n) => {
            println!("{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("demosite_export: cannot write {dir} or {nginx}: {e}");
            ExitCode::FAILURE
        }
    }
}
