//! Full-text search over ads with tantivy: investigators search titles, bodies, cities, phone numbers,
//! e-mails, handles and indicator ids, filter by kind and risk, and sort by relevance or risk.
//!
//! The index is derived data: the store is the source of truth and `redflag reindex` rebuilds the index
//! from it at any time. Each machine that serves a dashboard keeps its own index directory.
//!
//! Text fields use a tokenizer that lowercases and folds accents (`café` finds `cafe`), so one query
//! works across the languages ads are written in. Phone numbers are indexed in E.164 and as bare digits
//! (with and without the country code), and a query that looks like a phone number is also looked up in
//! those forms, so `702-555-0148`, `+17025550148` and `(702) 555 0148` all find the same ads.
//!
//! A query's words are looked up in one field holding the title (twice, so a word in the title weighs
//! more), the city and the body: each word is then one posting list, and a query of several words is an
//! intersection of a few lists, not of a union per field. A query of one token is also looked up as an
//! e-mail address or a handle. `title:`, `city:`, `phone:` and the other fields can still be named.
//!
//! Search text is user input: it is parsed leniently (a stray quote or bracket never fails a search).
//!
//! [`AdIndex::facets`] counts the ads a query matches by kind, site, city, indicator, language, risk band
//! and day (tantivy aggregations over fast fields, see `facets.rs`); the same values narrow a search.
//!
//! Any number of processes may search one index directory; one at a time may write (the first write
//! takes tantivy's directory lock, and a second writer gets a clear error instead of corrupting it).

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

mod conjunction;
mod facets;

pub use facets::{FacetCount, Facets, IndicatorTrend, RiskBand};
use redflag_core::AdKind;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::Weight;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// The index schema version; an index on disk with another version is rebuilt from scratch.
const SCHEMA_VERSION: &str = "5";
const TOKENIZER: &str = "redflag_text";
/// Memory for the index writer's buffer.
const WRITER_HEAP: usize = 64 * 1024 * 1024;
/// Matches are counted exactly up to this many (more when a page further on is asked for); past it a
/// search reports "more than", as search engines do, so a broad query costs no more than its top hits.
pub const TOTAL_CAP: usize = 10_000;
/// At most this many threads search one query's segments (see `AdIndex::from_index`).
const SEARCH_THREADS: usize = 4;

/// What went wrong in the index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Tantivy failed.
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory could not be prepared.
    #[error("cannot open search index at {path}: {source}")]
    Dir {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The index directory could not be opened by tantivy.
    #[error("cannot open search index at {path}: {reason}")]
    Open {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        reason: String,
    },
}

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One ad as the index sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdDoc {
    /// The ad's store id.
    pub ad_id: i64,
    /// Ad kind.
    pub kind: Option<AdKind>,
    /// Site name.
    pub site: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// City field.
    pub city: Option<String>,
    /// Phone numbers, E.164.
    pub phones: Vec<String>,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Handles, `service:handle`.
    pub handles: Vec<String>,
    /// Fired indicator ids.
    pub indicators: Vec<String>,
    /// Risk 0–100.
    pub risk: u8,
    /// Detected language.
    pub language: Option<String>,
    /// Network id.
    pub cluster: Option<i64>,
    /// Last sighting, ms since the epoch.
    pub last_seen: i64,
}

/// How to order hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Best match first.
    #[default]
    Relevance,
    /// Highest risk first.
    Risk,
}

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// What the user typed; empty matches every ad. Supports quotes, `AND`/`OR`/`-` and `field:value`
    /// for `title`, `city`, `text` (title, city and body), `phone`, `email`, `handle`, `indicator`, `site`,
    /// `kind` and `language`.
    pub text: String,
    /// Only this kind.
    pub kind: Option<AdKind>,
    /// Only risk at least this.
    pub min_risk: Option<u8>,
    /// Only ads of this site (its name).
    pub site: Option<String>,
    /// Only ads of this city (compared without case, as [`Facets::city`] lists them).
    pub city: Option<String>,
    /// Only ads with this indicator fired (its id).
    pub indicator: Option<String>,
    /// Only ads in this language (its code).
    pub language: Option<String>,
    /// Only ads in this risk band.
    pub band: Option<RiskBand>,
    /// Only ads last seen on this UTC day (its midnight, ms since the epoch).
    pub day: Option<i64>,
    /// Order.
    pub sort: SortBy,
    /// Hits to return (default 20, at most 1000).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
}

/// A highlighted excerpt: `text` with the matched byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    /// The excerpt (plain text, not escaped).
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The ad's store id.
    pub ad_id: i64,
    /// Relevance score (0 when sorted by risk).
    pub score: f32,
    /// Risk 0–100.
    pub risk: u8,
    /// Ad kind.
    pub kind: Option<AdKind>,
    /// Title.
    pub title: String,
    /// City.
    pub city: Option<String>,
    /// Site.
    pub site: String,
    /// An excerpt of the body around the matches.
    pub snippet: Snippet,
}

/// Search results.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    /// How many ads matched in all: exact up to [`TOTAL_CAP`] (or just past the page asked for), else the
    /// count at which counting stopped, with `total_is_lower_bound` set.
    pub total: usize,
    /// Whether more than `total` ads matched.
    pub total_is_lower_bound: bool,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Parts of the query that could not be understood and were ignored.
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy)]
struct Fields {
    ad_id: Field,
    kind: Field,
    site: Field,
    title: Field,
    /// The body, stored for hits and snippets; searched through `text`.
    body: Field,
    city: Field,
    /// What a search's words are looked up in: the title (twice, so that a word in the title weighs
    /// more), the city and the body, as one field (see [`AdIndex::search`]).
    text: Field,
    phone: Field,
    email: Field,
    handle: Field,
    indicator: Field,
    risk: Field,
    language: Field,
    cluster: Field,
    last_seen: Field,
    /// The city lowercased and trimmed, for facets and the city filter.
    city_key: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_stored().set_indexing_options(indexing.clone());
    let num = NumericOptions::default().set_indexed().set_stored().set_fast();
    let fields = Fields {
        ad_id: b.add_i64_field("ad_id", num.clone()),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        site: b.add_text_field("site", STRING | STORED | FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", STORED),
        city: b.add_text_field("city", text),
        text: b.add_text_field("text", TextOptions::default().set_indexing_options(indexing)),
        phone: b.add_text_field("phone", STRING | STORED),
        email: b.add_text_field("email", STRING | STORED),
        handle: b.add_text_field("handle", STRING | STORED),
        indicator: b.add_text_field("indicator", STRING | STORED | FAST),
        risk: b.add_u64_field("risk", num.clone()),
        language: b.add_text_field("language", STRING | STORED | FAST),
        cluster: b.add_i64_field("cluster", num.clone()),
        last_seen: b.add_i64_field("last_seen", num),
        city_key: b.add_text_field("city_key", STRING | FAST),
    };
    (b.build(), fields)
}

/// Words of ad text: split on anything not alphanumeric, lowercased, accents folded.
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn register_tokenizer(index: &Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
}

/// The ad search index.
pub struct AdIndex {
    index: Index,
    reader: IndexReader,
    /// Created on the first write: a writer holds the index directory's lock, and readers (the dashboard,
    /// `redflag search`) must not keep a concurrent `redflag analyze` from writing.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    f: Fields,
    /// Whether [`AdIndex::open`] created the index, or wiped one of an older schema.
    rebuilt: bool,
}

impl std::fmt::Debug for AdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdIndex").field("docs", &self.reader.searcher().num_docs()).finish()
    }
}

impl AdIndex {
    /// Opens the index in `dir`, creating it, or recreating it if it was built with another schema.
    pub fn open(dir: &Path) -> Result<AdIndex> {
        let dir_err = |source| Error::Dir { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(dir_err)?;
        let marker = dir.join("redflag-schema-version");
        let current = std::fs::read_to_string(&marker).ok();
        let rebuilt = current.as_deref().map(str::trim) != Some(SCHEMA_VERSION);
        if rebuilt {
            // Derived data: wipe and rebuild rather than fail on an old layout.
            for entry in std::fs::read_dir(dir).map_err(dir_err)?.flatten() {
                let p = entry.path();
                let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            }
            std::fs::write(&marker, SCHEMA_VERSION).map_err(dir_err)?;
        }
        let mmap =
            MmapDirectory::open(dir).map_err(|e| Error::Open { path: dir.to_path_buf(), reason: e.to_string() })?;
        let (schema, f) = schema();
        let index = Index::open_or_create(mmap, schema)?;
        let mut ix = Self::from_index(index, f)?;
        ix.rebuilt = rebuilt;
        Ok(ix)
    }

    /// Whether [`AdIndex::open`] found no index of the current schema (a new directory, or one built by
    /// an older version, which it wiped): the caller should refill it from the store (`reindex`).
    pub fn was_rebuilt(&self) -> bool {
        self.rebuilt
    }

    /// A fresh index in memory (tests, one-shot tools).
    pub fn in_memory() -> Result<AdIndex> {
        let (schema, f) = schema();
        Self::from_index(Index::create_in_ram(schema), f)
    }

    fn from_index(mut index: Index, f: Fields) -> Result<AdIndex> {
        register_tokenizer(&index);
        // Searches and facet counts walk the index's segments on this many threads at once.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(SEARCH_THREADS));
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(AdIndex { index, reader, writer: Mutex::new(None), f, rebuilt: false })
    }

    /// Runs `f` with the index writer, creating it (and taking the directory lock) on first use.
    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = match guard.take() {
            Some(w) => guard.insert(w),
            None => guard.insert(self.index.writer(WRITER_HEAP)?),
        };
        f(writer)
    }

    fn to_doc(&self, d: &AdDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.ad_id, d.ad_id);
        if let Some(k) = d.kind {
            doc.add_text(f.kind, k.as_str());
        }
        doc.add_text(f.site, &d.site);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.body);
        if let Some(c) = &d.city {
            doc.add_text(f.city, c);
            doc.add_text(f.text, c);
            let key = facets::city_key(c);
            if !key.is_empty() {
                doc.add_text(f.city_key, key);
            }
        }
        for p in &d.phones {
            for form in phone_forms(p) {
                doc.add_text(f.phone, form);
            }
        }
        for e in &d.emails {
            doc.add_text(f.email, e.to_lowercase());
        }
        for h in &d.handles {
            doc.add_text(f.handle, h.to_lowercase());
            if let Some((_, name)) = h.split_once(':') {
                doc.add_text(f.handle, name.to_lowercase());
            }
        }
        for i in &d.indicators {
            doc.add_text(f.indicator, i);
        }
        doc.add_u64(f.risk, u64::from(d.risk));
        if let Some(l) = &d.language {
            doc.add_text(f.language, l);
        }
        doc.add_i64(f.cluster, d.cluster.unwrap_or(-1));
        doc.add_i64(f.last_seen, d.last_seen);
        doc
    }

    /// Adds or replaces ads (by `ad_id`). Changes become visible after [`AdIndex::commit`].
    pub fn upsert(&self, docs: &[AdDoc]) -> Result<()> {
        self.with_writer(|writer| {
            for d in docs {
                writer.delete_term(Term::from_field_i64(self.f.ad_id, d.ad_id));
                writer.add_document(self.to_doc(d))?;
            }
            Ok(())
        })
    }

    /// Removes ads by id. Visible after [`AdIndex::commit`].
    pub fn remove(&self, ad_ids: &[i64]) -> Result<()> {
        self.with_writer(|writer| {
            for id in ad_ids {
                writer.delete_term(Term::from_field_i64(self.f.ad_id, *id));
            }
            Ok(())
        })
    }

    /// Removes ads by id, commits, and gives up the writer (and with it the directory lock), for a process
    /// that otherwise only reads the index: the dashboard's deletion on request must not keep a later
    /// `redflag analyze` from writing.
    pub fn remove_and_release(&self, ad_ids: &[i64]) -> Result<()> {
        self.remove(ad_ids)?;
        self.commit()?;
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = writer {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// Removes every ad. Visible after [`AdIndex::commit`].
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|w| Ok(w.delete_all_documents().map(|_| ())?))
    }

    /// Makes all changes durable and visible to searches.
    pub fn commit(&self) -> Result<()> {
        self.with_writer(|w| Ok(w.commit().map(|_| ())?))?;
        self.reader.reload()?;
        Ok(())
    }

    /// Picks up commits made by another process (e.g. a crawl while the dashboard runs).
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// How many ads are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no ad is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether an ad is searchable.
    pub fn contains(&self, ad_id: i64) -> Result<bool> {
        let q = TermQuery::new(Term::from_field_i64(self.f.ad_id, ad_id), IndexRecordOption::Basic);
        Ok(self.reader.searcher().search(&q, &Count)? > 0)
    }

    /// What the user typed, as a query: its words (with `AND`, `OR`, `-`, quotes and `field:value`) over
    /// the combined title, city and body text — one posting list per word, so a query of several words
    /// intersects a few lists instead of a union per field — or, when it is one token, also that token as
    /// a phone number (in its indexed forms), an e-mail address or a handle.
    fn text_query(&self, text: &str, warnings: &mut Vec<String>) -> Box<dyn Query> {
        let f = &self.f;
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        parser.set_conjunction_by_default();
        let (parsed, errors) = parser.parse_query_lenient(text);
        warnings.extend(errors.iter().map(|e| e.to_string()));
        let parsed: Box<dyn Query> = match conjunction::AllTerms::of(&*parsed) {
            Some(all) => Box::new(all),
            None => parsed,
        };
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let mut any: Vec<Box<dyn Query>> = vec![parsed];
        if let Some(digits) = phone_like(text) {
            any.extend(digit_forms(&digits).iter().map(|form| term(f.phone, form)));
        }
        let lowered = text.to_lowercase();
        if !lowered.contains(char::is_whitespace) {
            if lowered.contains('@') {
                any.push(term(f.email, &lowered));
            }
            let handle = lowered.trim_start_matches('@');
            if !handle.is_empty() {
                any.push(term(f.handle, handle));
            }
        }
        if any.len() == 1 {
            return any.remove(0);
        }
        Box::new(BooleanQuery::new(any.into_iter().map(|q| (Occur::Should, q)).collect()))
    }

    /// Marks a hit's body with the query's words (those searched in the combined text or the title).
    fn snippet_generator(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<SnippetGenerator> {
        let mut words: Vec<String> = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == self.f.text || term.field() == self.f.title {
                words.extend(term.value().as_str().filter(|w| !w.is_empty()).map(str::to_string));
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for word in words {
            let doc_freq = searcher.doc_freq(&Term::from_field_text(self.f.text, &word))?;
            if doc_freq > 0 {
                weights.insert(word, 1.0 / (1.0 + doc_freq as Score));
            }
        }
        Ok(SnippetGenerator::new(weights, analyzer(), self.f.body, 220))
    }

    fn build_query(&self, q: &SearchQuery) -> (Box<dyn Query>, Vec<String>) {
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut warnings = Vec::new();
        let text = q.text.trim();
        if !text.is_empty() {
            clauses.push((Occur::Must, self.text_query(text, &mut warnings)));
        }
        if let Some(k) = q.kind {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.kind, k.as_str()), IndexRecordOption::Basic)),
            ));
        }
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        for (field, value) in [
            (f.site, q.site.clone()),
            (f.city_key, q.city.as_deref().map(facets::city_key)),
            (f.indicator, q.indicator.clone()),
            (f.language, q.language.clone()),
        ] {
            if let Some(v) = value {
                clauses.push((Occur::Must, exact(field, &v)));
            }
        }
        if let Some(b) = q.band {
            let (lo, hi) = b.range();
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.risk, u64::from(lo))),
                    Bound::Included(Term::from_field_u64(f.risk, u64::from(hi))),
                )),
            ));
        }
        if let Some(day) = q.day {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.last_seen, day)),
                    Bound::Excluded(Term::from_field_i64(f.last_seen, day.saturating_add(facets::DAY_MS))),
                )),
            ));
        }
        if let Some(r) = q.min_risk {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.risk, u64::from(r))),
                    Bound::Unbounded,
                )),
            ));
        }
        if clauses.is_empty() {
            return (Box::new(tantivy::query::AllQuery), warnings);
        }
        if clauses.len() == 1 && !text.is_empty() {
            // The words alone, not wrapped: tantivy finds the top hits of a word (or of a word or a
            // contact) by skipping the blocks that cannot make the page, which a wrapper would hide.
            let (_, words) = clauses.remove(0);
            return (words, warnings);
        }
        if clauses.iter().all(|(o, _)| *o == Occur::Must) && text.is_empty() {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        (Box::new(BooleanQuery::new(clauses)), warnings)
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let (query, warnings) = self.build_query(q);
        let limit = if q.limit == 0 { 20 } else { q.limit.min(1000) };
        let top = TopDocs::with_limit(limit).and_offset(q.offset);
        // Apart, not as one `(TopDocs, Count)` pass: alone, the top documents of a query over one term are
        // found by skipping blocks that cannot make the page (block-max WAND), and the count walks matches
        // without scoring them, stopping at its cap.
        let cap = TOTAL_CAP.max(q.offset.saturating_add(limit).saturating_add(1));
        let addrs: Vec<(f32, DocAddress)> = match q.sort {
            SortBy::Relevance => searcher.search(&query, &top)?,
            SortBy::Risk => searcher
                .search(&query, &top.order_by_u64_field("risk", Order::Desc))?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect(),
        };
        let (total, total_is_lower_bound) = if q.offset == 0 && addrs.len() < limit {
            (addrs.len(), false)
        } else {
            let n = searcher.search(&query, &CappedCount(cap))?;
            if n > cap { (cap, true) } else { (n, false) }
        };
        let snippets = self.snippet_generator(&searcher, &*query)?;
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let s = snippets.snippet_from_doc(&doc);
            let mut snippet = Snippet {
                text: s.fragment().to_string(),
                highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
            };
            if snippet.text.is_empty() {
                let body = self.text(&doc, self.f.body).unwrap_or_default();
                snippet.text = redflag_core::text::truncate_bytes(&body, 220).to_string();
            }
            hits.push(Hit {
                ad_id: doc.get_first(self.f.ad_id).and_then(|v| v.as_i64()).unwrap_or(-1),
                score,
                risk: doc.get_first(self.f.risk).and_then(|v| v.as_u64()).unwrap_or(0).min(100) as u8,
                kind: self.text(&doc, self.f.kind).and_then(|k| k.parse().ok()),
                title: self.text(&doc, self.f.title).unwrap_or_default(),
                city: self.text(&doc, self.f.city),
                site: self.text(&doc, self.f.site).unwrap_or_default(),
                snippet,
            });
        }
        Ok(SearchResults { total, total_is_lower_bound, hits, warnings })
    }

    fn text(&self, doc: &TantivyDocument, field: Field) -> Option<String> {
        doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
    }
}

/// Counts matching documents, stopping once it has seen more than its cap in a segment (the sum over
/// segments is then above the cap too). Walks the matches without scoring them.
struct CappedCount(usize);

impl Collector for CappedCount {
    type Fruit = usize;
    type Child = SegmentCount;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<SegmentCount> {
        Ok(SegmentCount(0))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<usize>) -> tantivy::Result<usize> {
        Ok(counts.into_iter().sum())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<usize> {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut n = 0usize;
        let mut doc = scorer.doc();
        while doc != TERMINATED && n <= self.0 {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
            }
            doc = scorer.advance();
        }
        Ok(n)
    }
}

/// What [`CappedCount`] gathers per segment when driven document by document (unused: it walks the
/// scorer itself).
struct SegmentCount(usize);

impl SegmentCollector for SegmentCount {
    type Fruit = usize;

    fn collect(&mut self, _: DocId, _: Score) {
        self.0 += 1;
    }

    fn harvest(self) -> usize {
        self.0
    }
}

/// The forms a stored E.164 number is indexed under: itself, its digits, and its digits without each
/// plausible country-code length (so a national-format query finds it).
fn phone_forms(e164: &str) -> Vec<String> {
    let digits: String = e164.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut forms = vec![e164.to_string()];
    forms.extend(digit_forms(&digits));
    forms.sort();
    forms.dedup();
    forms
}

fn digit_forms(digits: &str) -> Vec<String> {
    let mut forms = vec![digits.to_string()];
    for cc in 1..=3 {
        if digits.len() > cc + 6 {
            forms.push(digits[cc..].to_string());
        }
    }
    forms
}

/// The digits of a query that is just a phone number (7–15 digits, only phone punctuation around them).
fn phone_like(q: &str) -> Option<String> {
    if !q.chars().all(|c| c.is_ascii_digit() || " +-.()/".contains(c)) {
        return None;
    }
    let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
    (7..=15).contains(&digits.len()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_forms_cover_national_queries() {
        let f = phone_forms("+17025550148");
        assert!(f.contains(&"17025550148".to_string()) && f.contains(&"7025550148".to_string()));
        assert_eq!(phone_like("(702) 555-0148").as_deref(), Some("7025550148"));
        assert_eq!(phone_like("room 12"), None);
        assert_eq!(phone_like("12"), None);
    }
}
