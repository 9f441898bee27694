//! Where gongkai may write. Every folder a build replaces, the site (`output_dir` or
//! `--output`) and the tantivy index (`search_index_dir`), is decided here, before anything
//! is touched; the scratch and spare trees beside them (write::tree) are named after the
//! folders decided here, and only trees carrying gongkai's mark are ever moved or deleted.
//!
//! A build replaces its output folder whole, so a setting or a flag that names the wrong
//! folder would destroy it: `search_index_dir = "./content"` once deleted an officer's
//! content. The rules:
//! - paths are resolved, symbolic links included, and the resolved folder is what a build
//!   writes, moves and deletes;
//! - never the portal itself, its sources (content/, themes/, site.toml, .git, requests/) or
//!   any folder that holds or lies inside one of them;
//! - never an existing file;
//! - a path given relative to the portal (site.toml's settings) stays inside the portal,
//!   also after its symbolic links are followed;
//! - an existing folder is replaced only when it is empty or gongkai made it: every folder
//!   gongkai makes holds the mark file [`MARK`] (output of older versions is recognised by
//!   its shape and marked).

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as gongkai's output: a build may replace such a folder.
pub const MARK: &str = crate::model::urls::OUTPUT_MARK;

/// What a mark file says, for a person who finds one.
const MARK_TEXT: &str = "This folder is written by gongkai (gongkai build): every build \
replaces it whole. Keep no files of your own here.\n本文件夹由 gongkai 生成，每次生成都会整体替换，请勿在此存放其他文件。\n";

/// The portal's own files and folders, relative to its root: no output may be one of them,
/// hold one, or lie inside one.
pub const PROTECTED: [&str; 5] = ["content", "themes", "site.toml", ".git", "requests"];

/// What a folder is for, in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Site,
    SearchIndex,
}

impl Purpose {
    fn what(self) -> &'static str {
        match self {
            Purpose::Site => crate::zh_en!("网站输出文件夹", "site's output folder"),
            Purpose::SearchIndex => crate::zh_en!("检索索引文件夹", "search index folder"),
        }
    }
}

/// Why a folder may not be written, in words for the officer, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

/// Where a requested path comes from: a setting relative to the portal must stay inside it;
/// a flag (relative to the working directory) or an absolute path may point anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Setting,
    Flag,
}

/// A folder a build may replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// Resolved: absolute, with every symbolic link followed.
    pub path: PathBuf,
    /// Written by a gongkai from before the mark: [`adopt`] marks it before a build
    /// replaces it, so that its trees are recognised from then on.
    pub older: bool,
}

/// Marks an older gongkai output as gongkai's (see [`Decided::older`]).
pub fn adopt(decided: &Decided) -> io::Result<()> {
    if decided.older {
        mark(&decided.path)?;
    }
    Ok(())
}

/// The folder a build may replace for `purpose`, resolved. `requested` is read relative to
/// `root` for a setting and to the working directory for a flag. Only reads the file system.
pub fn decide(
    root: &Path,
    requested: &Path,
    origin: Origin,
    purpose: Purpose,
) -> Result<Decided, Refusal> {
    let shown = requested.display().to_string();
    let refuse = |why: String, hint: &str| Refusal {
        message: crate::zh_en!(
            format!("不能把{}设为 `{shown}`：{why}", purpose.what()),
            format!("`{shown}` cannot be the {}: {why}", purpose.what())
        ),
        hint: hint.to_string(),
    };
    let own_folder = crate::zh_en!(
        "请改用门户内一个专用的文件夹，例如 `public`（网站）或 `search-index`（检索索引）",
        "use a folder of its own inside the portal, such as `public` (the site) or `search-index` (the search index)"
    );
    let io = crate::text::lang::io_reason;
    if requested.as_os_str().is_empty() {
        return Err(refuse(
            crate::zh_en!("路径为空", "the path is empty").into(),
            own_folder,
        ));
    }
    let root = resolve(&absolute(root, Path::new("."))).map_err(|e| {
        refuse(
            crate::zh_en!(
                format!("无法读取门户文件夹：{}", io(&e)),
                format!("the portal folder cannot be read: {e}")
            ),
            own_folder,
        )
    })?;
    let base = match origin {
        Origin::Setting => root.clone(),
        Origin::Flag => std::env::current_dir().unwrap_or_else(|_| root.clone()),
    };
    let lexical = absolute(&base, requested);
    let target = resolve(&lexical).map_err(|e| {
        refuse(
            crate::zh_en!(
                format!("无法找到这个路径实际指向的位置：{}", io(&e)),
                format!("the path cannot be resolved: {e}")
            ),
            own_folder,
        )
    })?;

    if root.starts_with(&target) {
        return Err(refuse(
            crate::zh_en!(
                "它就是门户文件夹本身或其上级文件夹，生成时会替换整个门户",
                "it is the portal folder itself or holds it: a build would replace the whole portal"
            )
            .into(),
            own_folder,
        ));
    }
    for name in PROTECTED {
        let lexical_own = root.join(name);
        let resolved_own = resolve(&lexical_own).unwrap_or_else(|_| lexical_own.clone());
        for own in [&lexical_own, &resolved_own] {
            if target.starts_with(own) || own.starts_with(&target) {
                return Err(refuse(
                    crate::zh_en!(
                        format!("它与门户自己的 `{name}` 重叠，生成时会覆盖或删除其中的文件"),
                        format!("it overlaps the portal's own `{name}`: a build would overwrite or delete its files")
                    ),
                    own_folder,
                ));
            }
        }
    }
    let inside_lexically = normalize(&lexical).starts_with(&root);
    let relative_setting = origin == Origin::Setting && !requested.is_absolute();
    if relative_setting && !inside_lexically {
        return Err(refuse(
            crate::zh_en!("它在门户文件夹之外", "it is outside the portal folder").into(),
            own_folder,
        ));
    }
    if inside_lexically && !target.starts_with(&root) {
        return Err(refuse(
            crate::zh_en!(
                format!("它经由门户内的符号链接指向门户之外的 {}", target.display()),
                format!(
                    "it leads through a symbolic link in the portal to {}, outside the portal",
                    target.display()
                )
            ),
            crate::zh_en!(
                "gongkai 不会替换门户之外经符号链接到达的文件夹；请改用门户内的普通文件夹，或直接写出门户外的绝对路径",
                "gongkai does not replace a folder outside the portal reached through a link; use a plain folder inside the portal, or write the absolute path outside it"
            ),
        ));
    }
    let decided = |older| Decided {
        path: target.clone(),
        older,
    };
    match fs::symlink_metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(decided(false)),
        Err(e) => Err(refuse(
            crate::zh_en!(
                format!("无法读取：{}", io(&e)),
                format!("it cannot be read: {e}")
            ),
            own_folder,
        )),
        Ok(meta) if !meta.is_dir() => Err(refuse(
            crate::zh_en!(
                "这是一个已有的文件，不是文件夹",
                "it is an existing file, not a folder"
            )
            .into(),
            own_folder,
        )),
        Ok(_) => match ownership(&target, purpose) {
            Ownership::Ours | Ownership::Empty => Ok(decided(false)),
            Ownership::Older => Ok(decided(true)),
            Ownership::Foreign(example) => Err(refuse(
                crate::zh_en!(
                    format!("这个文件夹已有不是 gongkai 生成的文件（如 `{example}`），gongkai 不会移动、清空或删除它"),
                    format!("the folder holds files gongkai did not write (such as `{example}`); gongkai does not move, empty or delete it")
                ),
                crate::zh_en!(
                    "请改用一个新的或空的文件夹；如果这个文件夹确实只存放生成的网站，请把其中的文件移走后再生成",
                    "use a new or empty folder; if this folder only ever held the built site, move its files away and build again"
                ),
            )),
        },
    }
}

/// The two folders a build replaces may not be the same or lie one inside the other: each
/// build would delete what the other wrote.
pub fn check_apart(site: &Path, index: &Path) -> Result<(), Refusal> {
    if site.starts_with(index) || index.starts_with(site) {
        return Err(Refusal {
            message: crate::zh_en!(
                format!(
                    "网站输出文件夹 `{}` 与检索索引文件夹 `{}` 重叠，每次生成都会删除对方的文件",
                    site.display(),
                    index.display()
                ),
                format!(
                    "the site's output folder `{}` and the search index folder `{}` overlap: each build would delete the other's files",
                    site.display(),
                    index.display()
                )
            ),
            hint: crate::zh_en!(
                "请把两者设为互不包含的两个文件夹，例如 `public` 和 `search-index`",
                "make them two folders apart, such as `public` and `search-index`"
            )
            .into(),
        });
    }
    Ok(())
}

enum Ownership {
    Ours,
    Empty,
    /// Written by a gongkai from before the mark: recognised by its shape.
    Older,
    /// Holds something gongkai did not write; one of its names, as an example.
    Foreign(String),
}

fn ownership(dir: &Path, purpose: Purpose) -> Ownership {
    if is_marked(dir) {
        return Ownership::Ours;
    }
    let first = fs::read_dir(dir)
        .ok()
        .and_then(|mut entries| entries.next())
        .and_then(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned());
    let Some(example) = first else {
        return Ownership::Empty;
    };
    if is_older_output(dir, purpose) {
        Ownership::Older
    } else {
        Ownership::Foreign(example)
    }
}

/// Whether `dir` is the output of a gongkai from before the mark, by its shape.
pub fn is_older_output(dir: &Path, purpose: Purpose) -> bool {
    match purpose {
        // Every site gongkai writes has these, and an officer's folder hardly all three.
        Purpose::Site => ["index.html", "sitemap.xml", "search/meta.json"]
            .iter()
            .all(|f| dir.join(f).is_file()),
        // A tantivy index with gongkai's schema.
        Purpose::SearchIndex => fs::read_to_string(dir.join("meta.json"))
            .is_ok_and(|m| m.contains("\"segments\"") && m.contains("codes_text")),
    }
}

/// Whether `dir` carries gongkai's mark (a symbolic link named like the mark does not count).
pub fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARK)).is_ok_and(|m| m.is_file())
}

/// Marks `dir` as gongkai's output.
pub fn mark(dir: &Path) -> io::Result<()> {
    fs::write(dir.join(MARK), MARK_TEXT)
}

/// The mark's bytes, for a build that rewrites only what changed.
pub fn mark_bytes() -> &'static [u8] {
    MARK_TEXT.as_bytes()
}

/// `path` made absolute against `base`, without touching the file system.
fn absolute(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else if base.is_absolute() {
        base.join(path)
    } else {
        std::env::current_dir()
            .unwrap_or_default()
            .join(base)
            .join(path)
    }
}

/// `.` and `..` taken out of an absolute path, without looking at the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The absolute path `path` leads to, with every symbolic link along it followed (also in
/// parts that do not exist yet: those are appended as written). `..` after a link goes up
/// from where the link leads, as the operating system does.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut done = PathBuf::new();
    let mut rest: Vec<Component> = path.components().collect();
    rest.reverse();
    let mut exists = true;
    while let Some(c) = rest.pop() {
        match c {
            Component::Prefix(_) | Component::RootDir => done.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                done.pop();
            }
            Component::Normal(name) => {
                done.push(name);
                if exists {
                    match fs::symlink_metadata(&done) {
                        Ok(meta) if meta.file_type().is_symlink() => {
                            // A dangling link: where it points is what a rename would
                            // replace; refuse rather than guess.
                            done = fs::canonicalize(&done).map_err(|e| {
                                io::Error::new(
                                    e.kind(),
                                    crate::zh_en!(
                                        format!(
                                            "符号链接 {} 指向的位置不存在：{}",
                                            done.display(),
                                            crate::text::lang::io_reason(&e)
                                        ),
                                        format!(
                                            "the symbolic link {} cannot be resolved: {e}",
                                            done.display()
                                        )
                                    ),
                                )
                            })?;
                        }
                        Ok(_) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(done)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn portal() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/documents", "themes/x", ".git/objects", "data"] {
            fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        fs::write(dir.path().join("site.toml"), "title = \"x\"\n").unwrap();
        fs::write(dir.path().join("data/list.csv"), "a,b\n").unwrap();
        dir
    }

    fn setting(root: &Path, p: &str) -> Result<PathBuf, Refusal> {
        decide(root, Path::new(p), Origin::Setting, Purpose::SearchIndex).map(|d| d.path)
    }

    #[test]
    fn the_portal_and_its_sources_are_refused_however_written() {
        let dir = portal();
        let root = dir.path();
        for p in [
            ".",
            "./",
            "",
            "content",
            "./content",
            "content/../content",
            "content/documents",
            "themes",
            ".git",
            "./.git",
            "site.toml",
            "requests",
            "requests/2026",
            "data/..",
            "..",
            "../..",
        ] {
            let refused = setting(root, p);
            assert!(refused.is_err(), "{p:?} was allowed: {refused:?}");
        }
        let abs = root.join("content");
        assert!(decide(root, &abs, Origin::Flag, Purpose::Site).is_err());
        assert!(decide(root, Path::new("/"), Origin::Flag, Purpose::Site).is_err());
    }

    #[test]
    fn a_folder_gongkai_did_not_make_is_refused_and_left_alone() {
        let dir = portal();
        let root = dir.path();
        let refused = setting(root, "data").unwrap_err();
        assert!(refused.message.contains("list.csv"), "{refused:?}");
        assert_eq!(
            fs::read_to_string(root.join("data/list.csv")).unwrap(),
            "a,b\n"
        );
        assert!(!is_marked(&root.join("data")));
        // Outside the portal too: --output at an officer's folder.
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("thesis.txt"), "mine").unwrap();
        assert!(decide(root, other.path(), Origin::Flag, Purpose::Site).is_err());
        // An existing file.
        assert!(decide(root, &root.join("site.toml"), Origin::Flag, Purpose::Site).is_err());
        fs::write(root.join("notes.txt"), "x").unwrap();
        assert!(setting(root, "notes.txt").is_err());
    }

    #[test]
    fn new_empty_marked_and_older_outputs_are_allowed() {
        let dir = portal();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            setting(&root, "search-index").unwrap(),
            root.join("search-index")
        );
        assert_eq!(setting(&root, "out/site/").unwrap(), root.join("out/site"));
        fs::create_dir(root.join("empty")).unwrap();
        assert_eq!(setting(&root, "./empty").unwrap(), root.join("empty"));
        fs::create_dir(root.join("made")).unwrap();
        mark(&root.join("made")).unwrap();
        fs::write(root.join("made/x.html"), "").unwrap();
        assert!(setting(&root, "made").is_ok());
        // A site written before the mark existed is recognised, and marked.
        let old = root.join("public");
        fs::create_dir_all(old.join("search")).unwrap();
        for f in ["index.html", "sitemap.xml", "search/meta.json"] {
            fs::write(old.join(f), "").unwrap();
        }
        let decided = decide(&root, Path::new("public"), Origin::Setting, Purpose::Site).unwrap();
        assert!(decided.older && !is_marked(&old), "deciding only reads");
        adopt(&decided).unwrap();
        assert!(is_marked(&old));
        let again = decide(&root, Path::new("public"), Origin::Setting, Purpose::Site).unwrap();
        assert!(!again.older);
        // Outside the portal, absolute or by flag.
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("site");
        assert!(decide(&root, &target, Origin::Setting, Purpose::Site).is_ok());
        assert!(decide(&root, &target, Origin::Flag, Purpose::Site).is_ok());
    }

    #[test]
    fn a_link_in_the_portal_cannot_lead_a_setting_outside() {
        let dir = portal();
        let root = dir.path();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir(outside.path().join("victim")).unwrap();
        symlink(outside.path(), root.join("link")).unwrap();
        assert!(setting(root, "link/victim").is_err());
        assert!(setting(root, "link/new").is_err());
        assert!(decide(root, &root.join("link/victim"), Origin::Flag, Purpose::Site).is_err());
        // A link to the portal's own sources is caught by where it leads.
        symlink(root.join("content"), root.join("c2")).unwrap();
        assert!(setting(root, "c2").is_err());
        assert!(setting(root, "c2/x").is_err());
        // A link inside the portal to a folder of the portal is followed, not replaced.
        fs::create_dir(root.join("real")).unwrap();
        symlink(root.join("real"), root.join("alias")).unwrap();
        assert_eq!(
            setting(root, "alias").unwrap(),
            root.canonicalize().unwrap().join("real")
        );
    }

    #[test]
    fn the_two_outputs_must_be_apart() {
        let a = Path::new("/srv/p/public");
        assert!(check_apart(a, Path::new("/srv/p/public")).is_err());
        assert!(check_apart(a, Path::new("/srv/p/public/idx")).is_err());
        assert!(check_apart(Path::new("/srv/p/public/x"), Path::new("/srv/p/public")).is_err());
        assert!(check_apart(a, Path::new("/srv/p/search-index")).is_ok());
        assert!(check_apart(a, Path::new("/srv/p/public-index")).is_ok());
    }

    #[test]
    fn resolve_follows_links_at_every_level() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        fs::create_dir_all(real.join("a/b")).unwrap();
        symlink(real.join("a/b"), real.join("l")).unwrap();
        assert_eq!(resolve(&real.join("l/c/d")).unwrap(), real.join("a/b/c/d"));
        assert_eq!(resolve(&real.join("l/../x")).unwrap(), real.join("a/x"));
        assert_eq!(resolve(&real.join("a/./b/../b")).unwrap(), real.join("a/b"));
    }
}
