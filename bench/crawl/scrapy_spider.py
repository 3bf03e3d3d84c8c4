"""Scrapy side of bench/crawl_vs_scrapy.sh: crawl the static demo site, following every same-host link,
and extract a title and the body text from every page. Robots obeyed, 16 concurrent requests, no delay,
items written to a JSON-lines feed. Stats go to the file named by the BENCH_STATS environment variable."""

import json
import os
import resource
import time

import scrapy
from scrapy.linkextractors import LinkExtractor
from w3lib.url import url_query_cleaner


def clean(url):
    # The same canonicalisation the Redflag adapter applies: tracking parameters dropped.
    return url_query_cleaner(url, ("utm_source", "utm_medium", "utm_campaign", "ref"), remove=True)


class DemoSpider(scrapy.Spider):
    name = "demo"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    }

    def __init__(self, base="http://127.0.0.1:8088/", **kw):
        super().__init__(**kw)
        self.started = time.monotonic()
        self.start_urls = [base]
        host = base.split("//", 1)[1].split("/", 1)[0].split(":")[0]
        self.allowed_domains = [host]
        self.links = LinkExtractor(process_value=clean)

    def parse(self, response):
        if not hasattr(response, "text"):
            return
        title = response.css("h1::text, h2::text, h3::text, title::text").get(default="").strip()
        body = " ".join(t.strip() for t in response.css("body *:not(script):not(style)::text").getall() if t.strip())
        yield {"url": response.url, "title": title, "body": body}
        for link in self.links.extract_links(response):
            yield response.follow(link.url, callback=self.parse)

    def closed(self, reason):
        stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.crawler.stats.get_stats().items()}
        stats["crawl_seconds"] = time.monotonic() - self.started
        stats["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(os.environ.get("BENCH_STATS", "scrapy-stats.json"), "w") as f:
            json.dump(stats, f)
