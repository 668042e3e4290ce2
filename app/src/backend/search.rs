//! Product search: an index inside each app server (tantivy, in memory), kept in step with the
//! database, so every database gives the same results and the same order.
//!
//! - **Text**: a product's name, and its "body" (category, shop, city, description), folded (case and
//!   accents, as `domain::search::fold`), each word also stemmed in English and in French.
//! - **Matching** every word of the query must match, in one of three tiers, and the tiers rank:
//!   0. the word as it is;
//!   1. the same stem ("casseroles" finds "casserole") or, from 3 letters, the start of a word;
//!   2. the word, or its stem, with a typo or two (`domain::search::typo_allowance`: none up to 3
//!      letters, one up to 7, two from 8; a transposition counts as one).
//!
//!   Within a tier, BM25 with name matches weighing double; ties go to the newer product. A word
//!   some product holds as it is (or by its stem) is taken as meant: only unknown words get typos.
//! - **In step with the database**: every write to searchable text gives the product the next
//!   `search_seq` (in its transaction); each server indexes what changed after its cursor at
//!   start-up, right after its own writes, when another server's write wakes it (`Topic::Catalog`,
//!   through Postgres NOTIFY) and every second whatever happens (writes made outside the app).
//! - **Did you mean**: when nothing matches, each word that matches nothing alone is replaced by the
//!   closest word of the index (fewest edits, then the most common), and the suggestion is offered
//!   only if it finds something.

use crate::backend::db::{catalog, Db};
use crate::backend::errors::internal;
use crate::backend::live::Topic;
use crate::backend::AppState;
use crate::domain::search::{fold, typo_allowance};
use crate::domain::ProductId;
use crate::error::AppError;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, FAST, INDEXED, TEXT};
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

/// The most products one search returns (best first): enough for every page a person reads, and a
/// bound on the work behind one query.
pub const MAX_MATCHES: usize = 5_000;
/// Products read from the database per indexing step.
const BATCH: i64 = 2_000;
/// Name matches weigh this much more than body matches.
const NAME_BOOST: f32 = 2.0;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    name: Field,
    body: Field,
    name_stems: Field,
    body_stems: Field,
}

/// The English and French stems of folded words.
pub struct Stemmers {
    en: TextAnalyzer,
    fr: TextAnalyzer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            en: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
            fr: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::French)).build(),
        }
    }
}

impl Stemmers {
    /// The stems of one folded word: English, then French when it differs.
    pub fn of(&mut self, word: &str) -> Vec<String> {
        let mut out = Vec::with_capacity(2);
        for analyzer in [&mut self.en, &mut self.fr] {
            let mut stream = analyzer.token_stream(word);
            while let Some(token) = stream.next() {
                if !token.text.is_empty() && !out.contains(&token.text) {
                    out.push(token.text.clone());
                }
            }
        }
        out
    }

    /// Every stem of every word of folded `text`, space-separated.
    fn of_text(&mut self, text: &str) -> String {
        let mut seen = HashSet::new();
        let mut out = String::with_capacity(text.len() * 2);
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            for stem in self.of(word) {
                if seen.insert(stem.clone()) {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(&stem);
                }
            }
        }
        out
    }
}

/// Where indexing has got to: the last (search_seq, product id) indexed.
#[derive(Debug, Default, Clone, Copy)]
struct Cursor {
    seq: i64,
    id: i64,
}

pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// One catch-up at a time; it holds the cursor.
    cursor: tokio::sync::Mutex<Cursor>,
}

/// How a search matched: the products, best first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Matches {
    pub products: Vec<ProductId>,
    /// More products matched than `MAX_MATCHES`: these are the best of them.
    pub more: bool,
}

impl SearchIndex {
    pub fn new() -> tantivy::Result<Arc<SearchIndex>> {
        let mut schema = Schema::builder();
        let fields = Fields {
            id: schema.add_u64_field("id", INDEXED | FAST),
            name: schema.add_text_field("name", TEXT),
            body: schema.add_text_field("body", TEXT),
            name_stems: schema.add_text_field("name_stems", TEXT),
            body_stems: schema.add_text_field("body_stems", TEXT),
        };
        let index = Index::create_in_ram(schema.build());
        // One indexing thread and the smallest memory budget: a catalogue's text is small.
        let writer = index.writer_with_num_threads(1, 15_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Arc::new(SearchIndex { reader, writer: Mutex::new(writer), fields, cursor: tokio::sync::Mutex::new(Cursor::default()) }))
    }

    /// Indexes every product whose searchable text changed since the last catch-up; how many.
    pub async fn catch_up(self: &Arc<Self>, db: &Db) -> Result<usize, AppError> {
        let mut cursor = self.cursor.lock().await;
        let mut total = 0;
        loop {
            let rows = catalog::search_text_since(&db.pool, cursor.seq, cursor.id, BATCH).await?;
            let Some(last) = rows.last() else { break };
            let next = Cursor { seq: last.search_seq, id: last.id };
            let n = rows.len();
            let index = self.clone();
            tokio::task::spawn_blocking(move || index.apply(rows)).await.map_err(internal)?.map_err(internal)?;
            *cursor = next;
            total += n;
            if (n as i64) < BATCH {
                break;
            }
        }
        Ok(total)
    }

    /// Replaces the documents of these products (blocking: the index's own work).
    fn apply(&self, rows: Vec<catalog::SearchTextRow>) -> tantivy::Result<()> {
        let f = self.fields;
        let mut stemmers = Stemmers::default();
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        for row in rows {
            let Ok(id) = u64::try_from(row.id) else { continue };
            writer.delete_term(Term::from_field_u64(f.id, id));
            let name = fold(&row.name);
            let body = fold(&format!("{} {} {} {}", row.category, row.shop, row.city, row.description));
            let mut doc = TantivyDocument::default();
            doc.add_u64(f.id, id);
            doc.add_text(f.name_stems, stemmers.of_text(&name));
            doc.add_text(f.body_stems, stemmers.of_text(&body));
            doc.add_text(f.name, name);
            doc.add_text(f.body, body);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()
    }

    /// The products matching every one of `words` (folded, as `domain::search::terms` gives them),
    /// best first, at most `MAX_MATCHES`.
    pub async fn find(self: &Arc<Self>, words: Vec<String>) -> Result<Matches, AppError> {
        let index = self.clone();
        tokio::task::spawn_blocking(move || index.find_now(&words)).await.map_err(internal)?.map_err(internal)
    }

    /// A query close to `words` that finds something, when `words` find nothing.
    pub async fn suggest(self: &Arc<Self>, words: Vec<String>) -> Result<Option<String>, AppError> {
        let index = self.clone();
        tokio::task::spawn_blocking(move || index.suggest_now(&words)).await.map_err(internal)?.map_err(internal)
    }

    fn find_now(&self, words: &[String]) -> tantivy::Result<Matches> {
        let searcher = self.reader.searcher();
        let mut stemmers = Stemmers::default();
        let mut seen = HashSet::new();
        let mut products = Vec::new();
        let mut more = false;
        if words.is_empty() {
            return Ok(Matches { products, more });
        }
        for tier in 0..=2u8 {
            if more {
                break;
            }
            let query = self.query(&searcher, words, tier, &mut stemmers);
            let hits = searcher.search(&query, &TopDocs::with_limit(MAX_MATCHES + 1).order_by_score())?;
            let mut ranked = Vec::with_capacity(hits.len());
            let mut ids = IdReader::default();
            for (score, address) in hits {
                if let Some(id) = ids.of(&searcher, address)? {
                    ranked.push((score, id));
                }
            }
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
            for (_, id) in ranked {
                if seen.insert(id) {
                    if products.len() < MAX_MATCHES {
                        products.push(ProductId(id));
                    } else {
                        more = true;
                    }
                }
            }
        }
        Ok(Matches { products, more })
    }

    /// Every word must match, in one of the ways of tiers up to `tier`.
    /// Whether some product holds `word`, or a word of the same stem.
    fn known(&self, searcher: &Searcher, word: &str, stemmers: &mut Stemmers) -> bool {
        let f = self.fields;
        let holds = |field: Field, text: &str| searcher.doc_freq(&Term::from_field_text(field, text)).map(|n| n > 0).unwrap_or(false);
        holds(f.name, word) || holds(f.body, word) || stemmers.of(word).iter().any(|stem| holds(f.name_stems, stem) || holds(f.body_stems, stem))
    }

    fn query(&self, searcher: &Searcher, words: &[String], tier: u8, stemmers: &mut Stemmers) -> BooleanQuery {
        let f = self.fields;
        let boost = |field: Field, q: Box<dyn Query>| -> Box<dyn Query> {
            if field == f.name || field == f.name_stems {
                Box::new(BoostQuery::new(q, NAME_BOOST))
            } else {
                q
            }
        };
        let clauses = words
            .iter()
            .map(|word| {
                // A word the index holds as it is (or by its stem) is not a typo: "crepe" does not
                // also find "creme".
                let fuzzy = !self.known(searcher, word, stemmers);
                let mut ways: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for field in [f.name, f.body] {
                    let term = Term::from_field_text(field, word);
                    ways.push((Occur::Should, boost(field, Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)))));
                    if tier >= 1 && word.chars().count() >= 3 {
                        ways.push((Occur::Should, boost(field, Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)))));
                    }
                    let typos = typo_allowance(word);
                    if tier >= 2 && typos > 0 && fuzzy {
                        ways.push((Occur::Should, boost(field, Box::new(FuzzyTermQuery::new(term, typos, true)))));
                    }
                }
                if tier >= 1 {
                    let stems = stemmers.of(word);
                    for (i, stem) in stems.iter().enumerate() {
                        for field in [f.name_stems, f.body_stems] {
                            let term = Term::from_field_text(field, stem);
                            ways.push((Occur::Should, boost(field, Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)))));
                            // A typo in a plural: "towl" is two edits from "towels", one from its
                            // stem. The English stem only: the French stemmer cuts English words
                            // short ("sweter" → "swet", one edit from "set").
                            let typos = typo_allowance(stem).min(typo_allowance(word));
                            if i == 0 && tier >= 2 && typos > 0 && fuzzy {
                                ways.push((Occur::Should, boost(field, Box::new(FuzzyTermQuery::new(term, typos, true)))));
                            }
                        }
                    }
                }
                (Occur::Must, Box::new(BooleanQuery::new(ways)) as Box<dyn Query>)
            })
            .collect();
        BooleanQuery::new(clauses)
    }

    fn suggest_now(&self, words: &[String]) -> tantivy::Result<Option<String>> {
        let searcher = self.reader.searcher();
        let mut stemmers = Stemmers::default();
        let vocabulary = Vocabulary::of(&searcher, [self.fields.name, self.fields.body])?;
        let mut suggested = Vec::new();
        for word in words {
            let alone = self.query(&searcher, std::slice::from_ref(word), 2, &mut stemmers);
            if searcher.search(&alone, &Count)? > 0 {
                suggested.push(word.clone());
            } else if let Some(closest) = vocabulary.closest(word) {
                suggested.push(closest);
            }
        }
        if suggested.is_empty() || suggested == words {
            return Ok(None);
        }
        let found = searcher.search(&self.query(&searcher, &suggested, 2, &mut stemmers), &Count)?;
        Ok((found > 0).then(|| suggested.join(" ")))
    }
}

/// Product ids of hits, through each segment's `id` column.
#[derive(Default)]
struct IdReader {
    columns: HashMap<u32, tantivy::columnar::Column<u64>>,
}

impl IdReader {
    fn of(&mut self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<Option<i64>> {
        let column = match self.columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(searcher.segment_reader(address.segment_ord).fast_fields().u64("id")?),
        };
        Ok(column.first(address.doc_id).and_then(|id| i64::try_from(id).ok()))
    }
}

/// The words of the index with how many documents hold each.
struct Vocabulary {
    words: HashMap<String, u64>,
}

impl Vocabulary {
    fn of(searcher: &Searcher, fields: [Field; 2]) -> tantivy::Result<Vocabulary> {
        let mut words: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            for field in fields {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    if let Ok(word) = std::str::from_utf8(stream.key()) {
                        *words.entry(word.to_string()).or_default() += u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(Vocabulary { words })
    }

    /// The closest word within two edits (one for words of up to 3 letters): fewest edits, then the
    /// most documents, then alphabetical. Never a word with digits for one without.
    fn closest(&self, word: &str) -> Option<String> {
        let max = if word.chars().count() <= 3 { 1 } else { 2 };
        let len = word.chars().count();
        self.words
            .iter()
            .filter(|(w, _)| w.chars().count().abs_diff(len) <= max && w.chars().count() > 1)
            .filter_map(|(w, n)| {
                let d = strsim::osa_distance(word, w);
                (d > 0 && d <= max).then_some((d, std::cmp::Reverse(*n), w))
            })
            .min()
            .map(|(_, _, w)| w.clone())
    }
}

/// After a commit that changed products' searchable text: this server indexes it now (so the
/// writer's next page finds it) and the other app servers are woken to do the same.
pub async fn catalog_changed(state: &AppState) {
    if let Err(e) = state.search.catch_up(&state.db).await {
        // Committed already: the follower retries within a second.
        tracing::warn!(error = %e, "search index catch-up failed");
    }
    state.live.publish(&[Topic::Catalog]).await;
}

/// Keeps this server's index in step: on every wake-up from another server and every second.
pub fn spawn_follower(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut woken = state.live.subscribe(Topic::Catalog);
        loop {
            if let Err(e) = state.search.catch_up(&state.db).await {
                tracing::warn!(error = %e, "search index catch-up failed; retrying");
            }
            tokio::select! {
                alive = woken.woken() => if !alive { break },
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_singular_and_plural_in_both_languages() {
        let mut s = Stemmers::default();
        let same = |s: &mut Stemmers, a: &str, b: &str| s.of(a).iter().any(|x| s.of(b).contains(x));
        for (a, b) in [
            ("casseroles", "casserole"),
            ("serviettes", "serviette"),
            ("towels", "towel"),
            ("boards", "board"),
            ("crepieres", "crepiere"),
            ("poeles", "poele"),
            ("bowls", "bowl"),
            ("teapots", "teapot"),
            ("lumineuses", "lumineuse"),
        ] {
            assert!(same(&mut s, a, b), "{a} and {b} share a stem: {:?} {:?}", s.of(a), s.of(b));
        }
        assert!(!same(&mut s, "tea", "tent"));
        assert!(!same(&mut s, "pan", "pain"));
    }

    #[test]
    fn the_closest_word_is_the_fewest_edits_then_the_most_common() {
        let words = [("teapot", 3), ("teapots", 9), ("tent", 5), ("kitchen", 40), ("kitten", 2)];
        let v = Vocabulary { words: words.iter().map(|(w, n)| (w.to_string(), *n)).collect() };
        assert_eq!(v.closest("kichen").as_deref(), Some("kitchen"));
        assert_eq!(v.closest("kitchn").as_deref(), Some("kitchen"), "one edit beats two (kitten)");
        assert_eq!(v.closest("teapott").as_deref(), Some("teapots"), "one edit from both: the most common");
        assert_eq!(v.closest("teepots").as_deref(), Some("teapots"));
        assert_eq!(v.closest("zeppelin"), None);
        assert_eq!(v.closest("tnt").as_deref(), Some("tent"));
    }
}
