//! A build that reuses its previous output must write the very site a cold build of the same
//! inputs writes. Random sequences of edits (records changed, added, deleted and renamed; a
//! template, site.toml and `--today` changed) are applied to a copy of the demo portal; after
//! each, the portal is built over its previous output and, cold, in a fresh copy; the two
//! sites are compared file by file, byte for byte, and the two tantivy indexes (one updated
//! in place, one written afresh) must answer a set of queries alike. Two builds in every
//! three over the previous output are made as `serve` makes them, by one process that keeps
//! what it read and wrote in memory between builds (`Retained`) and reads the spare tree
//! ahead of the next build; the third as `gongkai build` makes it, from what is on disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::build::{build, build_in, BuildOptions, Retained, Silent};
use gongkai::search::{SearchIndex, SearchQuery};

use crate::tree::copy_tree;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tiny deterministic generator: every run applies the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn demo_copy(to: &Path) {
    let from = repo();
    copy_tree(&from.join("content"), &to.join("content"));
    copy_tree(&from.join("requests"), &to.join("requests"));
    fs::copy(from.join("site.toml"), to.join("site.toml")).unwrap();
}

fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/documents"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    docs.sort();
    docs
}

/// Whether another record names the document at `path` (its slug): deleting or renaming it
/// would then fail the build, which is not what these steps test.
fn referenced(root: &Path, path: &Path) -> bool {
    let slug = path.file_stem().unwrap().to_string_lossy().to_string();
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path() != path)
        .any(|e| fs::read_to_string(e.path()).is_ok_and(|t| t.contains(slug.as_str())))
}

fn set_key(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key}: ");
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(&prefix) {
                done = true;
                format!("{prefix}{value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The kinds of edit, each applied once in a shuffled order, then at random.
const KINDS: usize = 11;

/// One edit of kind `kind` (`0..KINDS`) of the portal at `root`, on a random document;
/// returns what it did, for the failure message.
fn edit(root: &Path, rng: &mut Rng, kind: usize, step: usize, today: &mut NaiveDate) -> String {
    let docs = documents(root);
    let pick = docs[rng.below(docs.len())].clone();
    let name = pick.strip_prefix(root).unwrap().display().to_string();
    match kind {
        0 => {
            let text = fs::read_to_string(&pick).unwrap();
            fs::write(
                &pick,
                set_key(&text, "title", &format!("第{step}次修改后的标题")),
            )
            .unwrap();
            format!("retitled {name}")
        }
        1 => {
            let text = fs::read_to_string(&pick).unwrap();
            fs::write(&pick, format!("{text}\n第{step}次补充的正文段落。\n")).unwrap();
            format!("added a paragraph to the body of {name}")
        }
        2 => {
            // A new document: a copy with its own slug, title and 索引号, no 发文字号.
            let text = fs::read_to_string(&pick).unwrap();
            let index_no = text
                .lines()
                .find_map(|l| l.strip_prefix("index_no: "))
                .unwrap()
                .trim_matches('"')
                .to_string();
            let cut = index_no.len() - 5;
            let fresh = format!("{}9{:04}", &index_no[..cut], step);
            let text = set_key(&text, "index_no", &fresh);
            let text = set_key(&text, "title", &format!("第{step}次新增的文件"));
            let text: String = text
                .lines()
                .filter(|l| !l.starts_with("doc_number:") && !l.starts_with("interprets:"))
                .map(|l| format!("{l}\n"))
                .collect();
            let to = pick.with_file_name(format!("added-{step}.md"));
            fs::write(&to, text).unwrap();
            format!("added a copy of {name}")
        }
        3 => {
            // Only a document nothing points at: a reference to it would fail the build.
            if referenced(root, &pick) {
                return format!("kept {name} (referenced)");
            }
            fs::remove_file(&pick).unwrap();
            format!("deleted {name}")
        }
        4 => {
            if referenced(root, &pick) {
                return format!("kept {name} (referenced)");
            }
            fs::rename(&pick, pick.with_file_name(format!("renamed-{step}.md"))).unwrap();
            format!("renamed {name}")
        }
        5 => {
            // A portal template overriding the built-in one.
            let dir = root.join("themes/default/templates");
            fs::create_dir_all(&dir).unwrap();
            let original =
                fs::read_to_string(repo().join("themes/default/templates/document.html")).unwrap();
            let changed = original.replacen(
                "</article>",
                &format!("<p>模板第{step}次修改</p></article>"),
                1,
            );
            assert_ne!(changed, original, "document.html has an </article> to edit");
            fs::write(dir.join("document.html"), changed).unwrap();
            "changed the template document.html".into()
        }
        6 | 7 => {
            if kind == 6 {
                let path = root.join("site.toml");
                let text: String = fs::read_to_string(&path)
                    .unwrap()
                    .lines()
                    .map(|l| match l.starts_with("title = ") {
                        true => format!("title = \"示例市人民政府信息公开（{step}）\"\n"),
                        false => format!("{l}\n"),
                    })
                    .collect();
                fs::write(path, text).unwrap();
                "changed site.toml's title".into()
            } else {
                *today += chrono::Duration::days(40);
                format!("moved --today to {today}")
            }
        }
        9 => {
            // A power item a service carries out is renamed: its page, its agency's list,
            // the service's page that links to it, the catalogs.
            let path = root.join("content/power/fgw/energy-saving-review.yaml");
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                text.contains("code: 990100-FGW-XK-002"),
                "the power item the service names"
            );
            fs::write(
                &path,
                set_key(&text, "name", &format!("第{step}次更名的权责事项")),
            )
            .unwrap();
            "renamed the power item 990100-FGW-XK-002".into()
        }
        10 => {
            // An agency is renamed: every page that shows its name.
            let path = root.join("content/agencies/fgw.yaml");
            let text = fs::read_to_string(&path).unwrap();
            let text = set_key(
                &text,
                "name",
                &format!("示例市发展和改革委员会（第{step}次）"),
            );
            fs::write(
                &path,
                set_key(&text, "short_name", &format!("市发展改革委{step}")),
            )
            .unwrap();
            "renamed the agency fgw".into()
        }
        _ => {
            // A decision's stage changes: the directory, its year page and the feeds.
            let path = root.join("content/decisions/2026/key-projects-2026.md");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(
                &path,
                text.replacen("title: ", &format!("title: （第{step}次）"), 1),
            )
            .unwrap();
            "retitled the decision key-projects-2026".into()
        }
    }
}

fn build_at(root: &Path, today: NaiveDate) -> usize {
    build_kept(root, today, None)
}

/// Pages shown first by the builds of `build_kept`, all tests together.
static PREVIEWED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A build, by a process of its own, or by one that made earlier builds and kept `retained`.
fn build_kept(root: &Path, today: NaiveDate, retained: Option<&mut Retained>) -> usize {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: None,
        today,
        progress: Box::new(Silent),
    };
    let built = match retained {
        // As serve does: the spare tree is read ahead of the next build, and the pages of
        // edited records are shown first (here every record's: any may have changed).
        Some(retained) => {
            let records = walkdir::WalkDir::new(root.join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf());
            retained.preview(&root.join("public"), records, |_| {});
            build_in(&opts, retained).inspect(|r| retained.read_spare_ahead(&r.output))
        }
        None => build(&opts),
    };
    let built = built.unwrap_or_else(|f| panic!("build failed: {:?}", f.diagnostics));
    // A page shown first is the page the build made.
    PREVIEWED.fetch_add(built.previewed.len(), std::sync::atomic::Ordering::Relaxed);
    for page in &built.previewed {
        let made = fs::read(built.output.join(&page.file)).unwrap();
        assert!(made == page.bytes, "{} was previewed otherwise", page.url);
    }
    built.rendered
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Queries whose answers must not depend on how the index got its records: words of the
/// demo's titles and bodies, a single character, a 发文字号, the titles the edits write,
/// and filters.
fn queries() -> Vec<SearchQuery> {
    let mut qs: Vec<SearchQuery> = [
        "政府信息公开",
        "行政许可",
        "营商环境",
        "法治政府建设",
        "修改后的标题",
        "新增的文件",
        "补充的正文段落",
        "重点建设项目",
        "政",
        "示政发〔2021〕4号",
        "2024",
    ]
    .iter()
    .map(|t| SearchQuery::new(*t))
    .collect();
    let mut typed = SearchQuery::new("政府");
    typed.kind = Some("document".into());
    typed.year = Some(2025);
    qs.push(typed);
    for q in &mut qs {
        q.limit = 50;
    }
    qs
}

/// The tantivy index of a build that updated it in place answers as one written afresh:
/// the same records, in the same order, with the same scores and passages.
fn assert_same_answers(warm: &Path, cold: &Path, what: &str) {
    let (w, c) = (
        SearchIndex::open(warm).unwrap(),
        SearchIndex::open(cold).unwrap(),
    );
    for q in queries() {
        let hits = |i: &SearchIndex| -> Vec<(String, String, String)> {
            i.search(&q)
                .unwrap()
                .into_iter()
                .map(|h| (h.url, format!("{:.4}", h.score), h.snippet))
                .collect()
        };
        assert_eq!(hits(&w), hits(&c), "after {what}: query {:?}", q.text);
    }
}

/// The static search index may be laid out differently and still answer alike: written
/// whole from tantivy's segments or from its own count, or as a base with a delta. Its files
/// are compared as what they say (`search::static_index::logical_files`: the same terms with
/// the same postings, the same records, the same meta.json); every other file, the search
/// page included, byte for byte.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = files(dir);
    m.retain(|k, _| !k.starts_with("search/") || k == "search/index.html");
    for (name, bytes) in gongkai::search::static_index::logical_files(&dir.join("search")).unwrap()
    {
        if name != "index.html" {
            m.insert(format!("search/ (logical) {name}"), bytes);
        }
    }
    m
}

fn assert_same_site(warm: &Path, cold: &Path, what: &str) {
    let (w, c) = (site_files(warm), site_files(cold));
    let only_warm: Vec<&String> = w.keys().filter(|k| !c.contains_key(*k)).collect();
    let only_cold: Vec<&String> = c.keys().filter(|k| !w.contains_key(*k)).collect();
    assert!(
        only_warm.is_empty() && only_cold.is_empty(),
        "after {what}: files only in the reusing build {only_warm:?}, only in the cold one {only_cold:?}"
    );
    let differ: Vec<&String> = w.keys().filter(|k| w[*k] != c[*k]).collect();
    assert!(differ.is_empty(), "after {what}: files differ: {differ:?}");
}

#[test]
fn a_build_over_its_previous_output_equals_a_cold_build() {
    let warm = tempfile::tempdir().unwrap();
    demo_copy(warm.path());
    let mut today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    build_at(warm.path(), today);
    // The first build over the output recycles nothing yet (the spare is older); the second
    // finds every page as it left it.
    build_at(warm.path(), today);
    assert!(
        build_at(warm.path(), today) <= 1,
        "an unchanged portal renders no page but the search page"
    );
    let mut order: Vec<usize> = (0..KINDS).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order.extend([0, 2, 3].map(|_| rng.below(KINDS)));
    let mut log = Vec::new();
    let mut retained = Retained::default();
    for (step, &kind) in (1..).zip(&order) {
        log.push(edit(warm.path(), &mut rng, kind, step, &mut today));
        let kept = (step % 3 != 0).then_some(&mut retained);
        let rendered = build_kept(warm.path(), today, kept);
        let cold = tempfile::tempdir().unwrap();
        demo_copy(cold.path());
        // The cold copy gets the edited inputs.
        for sub in ["content", "themes"] {
            let _ = fs::remove_dir_all(cold.path().join(sub));
            if warm.path().join(sub).exists() {
                copy_tree(&warm.path().join(sub), &cold.path().join(sub));
            }
        }
        fs::copy(warm.path().join("site.toml"), cold.path().join("site.toml")).unwrap();
        build_at(cold.path(), today);
        let what = log.join("; ");
        assert_same_site(
            &warm.path().join("public"),
            &cold.path().join("public"),
            &format!("{what} ({rendered} pages rendered)"),
        );
        assert_same_answers(
            &warm.path().join("search-index"),
            &cold.path().join("search-index"),
            &what,
        );
        eprintln!("step {step}: {} → {rendered} pages rendered", log[step - 1]);
    }
    let previewed = PREVIEWED.load(std::sync::atomic::Ordering::Relaxed);
    assert!(previewed > 0, "no edit's page was shown first");
}

/// A document's page shows the titles of the documents it links to (the one it replaces, the
/// one that replaced it, the one it interprets) and of its interpretations. Retitling any of
/// them changes that page too: a build over its previous output must render it again.
#[test]
fn retitling_a_document_changes_the_pages_that_link_to_it() {
    let warm = tempfile::tempdir().unwrap();
    demo_copy(warm.path());
    let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    build_at(warm.path(), today);
    build_at(warm.path(), today);
    // Each document retitled, and a page that shows its title through a link.
    let cases = [
        // replaced_by it, and interpreted by rsj-employment-subsidy-2024-jiedu
        ("rsj-employment-subsidy-2024", "rsj-employment-subsidy-2021"),
        // replaced by rsj-employment-subsidy-2024
        ("rsj-employment-subsidy-2021", "rsj-employment-subsidy-2024"),
        // its interpretation, listed on the page of what it explains
        (
            "rsj-employment-subsidy-2024-jiedu",
            "rsj-employment-subsidy-2024",
        ),
        ("fgw-credit-repair", "fgw-credit-repair-jiedu"),
    ];
    for (step, (slug, linking)) in (1..).zip(cases) {
        let path = documents(warm.path())
            .into_iter()
            .find(|p| p.file_stem().is_some_and(|s| s == slug))
            .unwrap_or_else(|| panic!("the demo has the document {slug}"));
        let title = format!("第{step}次改过的链接标题");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, set_key(&text, "title", &title)).unwrap();
        build_at(warm.path(), today);
        let shown: Vec<String> = files(&warm.path().join("public"))
            .into_iter()
            .filter(|(name, bytes)| {
                name.ends_with("index.html")
                    && name.contains(linking)
                    && String::from_utf8_lossy(bytes).contains(&title)
            })
            .map(|(name, _)| name)
            .collect();
        assert!(
            !shown.is_empty(),
            "after retitling {slug}, the page of {linking} does not show its new title"
        );
        let cold = tempfile::tempdir().unwrap();
        demo_copy(cold.path());
        let _ = fs::remove_dir_all(cold.path().join("content"));
        copy_tree(&warm.path().join("content"), &cold.path().join("content"));
        build_at(cold.path(), today);
        assert_same_site(
            &warm.path().join("public"),
            &cold.path().join("public"),
            &format!("retitling {slug}"),
        );
    }
}

/// `gongkai build` reads and parses only the files whose bytes changed since the last build,
/// from the parse cache it keeps beside the output: also in a fresh copy of the portal, its
/// output and that cache (as CI restores them), where every file's stamp is new.
#[test]
fn a_build_parses_only_the_files_whose_bytes_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    demo_copy(&root);
    let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let parsed = |root: &Path| {
        let opts = BuildOptions {
            root: root.to_path_buf(),
            output: None,
            today,
            progress: Box::new(Silent),
        };
        build(&opts)
            .unwrap_or_else(|f| panic!("build failed: {:?}", f.diagnostics))
            .parsed
    };
    let all = parsed(&root);
    // Reports and calendars are parsed every time, and so is a file with a warning.
    let always = parsed(&root);
    assert!(always * 3 < all, "{always} of {all} files parsed again");
    let docs = documents(&root);
    let text = fs::read_to_string(&docs[0]).unwrap();
    fs::write(&docs[0], set_key(&text, "title", "改过的标题")).unwrap();
    // The same bytes, written anew: its stamp moved.
    fs::remove_file(&docs[1]).unwrap();
    fs::write(
        &docs[1],
        fs::read(repo().join(docs[1].strip_prefix(&root).unwrap())).unwrap(),
    )
    .unwrap();
    assert_eq!(parsed(&root), always + 1, "the retitled document");
    let clone = dir.path().join("clone");
    copy_tree(&root, &clone);
    assert_eq!(parsed(&clone), always, "nothing changed in the copy");
    assert_same_site(&clone.join("public"), &root.join("public"), "a copy");
    let pages = files(&clone.join("public"));
    assert!(pages.iter().any(|(file, bytes)| file.ends_with(".html")
        && String::from_utf8_lossy(bytes).contains("改过的标题")));
}
