//! The language gongkai speaks to officers: Chinese, or English as a second locale.
//!
//! Every message is written in both where it is made, with [`zh_en!`](crate::zh_en), which
//! picks one by the language set for the process. The command layer sets it once, from
//! `--lang`, else `GONGKAI_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): English
//! when that names English (`en_US.UTF-8`), Chinese otherwise (`zh_CN`, `C`, unset). Codes
//! (E0xx), keys and quoted values are the same in both.

use std::sync::atomic::{AtomicU8, Ordering};

/// A language messages can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// The language messages are made in.
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// Sets the language of every message made from now on.
pub fn set_lang(lang: Lang) {
    LANG.store(u8::from(lang == Lang::En), Ordering::Relaxed);
}

impl Lang {
    /// `zh` or `en` (`zh-CN`, `en_US.UTF-8` and the like too).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language the environment asks for: `GONGKAI_LANG`, else the first locale
    /// variable set (`LC_ALL`, `LC_MESSAGES`, `LANG`) when it names English; Chinese
    /// otherwise, the officers' language (a `C` or `POSIX` locale says nothing).
    pub fn from_env() -> Lang {
        if let Some(l) = std::env::var("GONGKAI_LANG")
            .ok()
            .and_then(|v| Lang::parse(&v))
        {
            return l;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match locale.and_then(|l| Lang::parse(&l)) {
            Some(Lang::En) => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// Why a file could not be read or written, in words: the system's own text is English
/// ("Permission denied (os error 13)"), kept in English and after a Chinese lead for a cause
/// not named here.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    // An error made with a message of its own (gongkai's, already in the language) says more
    // than its kind.
    if lang() == Lang::En || e.get_ref().is_some() {
        return e.to_string();
    }
    match e.kind() {
        ErrorKind::NotFound => "找不到文件或文件夹".into(),
        ErrorKind::PermissionDenied => "没有权限（请检查文件的权限或是否被其他程序占用）".into(),
        ErrorKind::AlreadyExists => "已经存在".into(),
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件".into(),
        ErrorKind::NotADirectory => "路径中有一部分是文件，不是文件夹".into(),
        ErrorKind::StorageFull => "磁盘空间不足".into(),
        ErrorKind::ReadOnlyFilesystem => "磁盘是只读的".into(),
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的".into(),
        ErrorKind::InvalidData => format!("内容无法识别（{e}）"),
        _ => format!("系统报告：{e}"),
    }
}

/// The Chinese or the English of a message, by the language of the process; only the one
/// picked is evaluated. `zh_en!("机关不存在", "no such agency")`, or with `format!`s.
#[macro_export]
macro_rules! zh_en {
    ($zh:expr, $en:expr $(,)?) => {
        match $crate::text::lang::lang() {
            $crate::text::lang::Lang::Zh => $zh,
            $crate::text::lang::Lang::En => $en,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_in_words() {
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(io_reason(&e).starts_with("没有权限"), "{}", io_reason(&e));
        let e = std::io::Error::other("符号链接 a 指向的位置不存在");
        assert_eq!(io_reason(&e), "符号链接 a 指向的位置不存在");
    }

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::parse("POSIX"), None);
    }
}
