//! Where the database lives, as `--database` / `LENSGATE_DATABASE` name it: a SQLite file path,
//! or a PostgreSQL connection URL.

use std::{fmt, path::PathBuf, str::FromStr};

/// A `postgres://` or `postgresql://` URL, checked once where it is given.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(String);

impl PostgresUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL without its password, for messages and logs.
    pub fn redacted(&self) -> String {
        match (self.0.split_once("://"), self.0.rfind('@')) {
            (Some((scheme, rest)), Some(at)) => {
                let credentials = &rest[..at - scheme.len() - 3];
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{}", &self.0[at + 1..])
            }
            _ => self.0.clone(),
        }
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl FromStr for PostgresUrl {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let value = value.trim();
        let Some((scheme, rest)) = value.split_once("://") else {
            return Err(format!(
                "{value:?} is not a PostgreSQL URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
            ));
        };
        if !matches!(scheme, "postgres" | "postgresql") {
            return Err(format!(
                "{scheme}:// is not a PostgreSQL URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
            ));
        }
        let host_and_path = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
        if host_and_path.is_empty() || host_and_path.starts_with('/') {
            return Err(format!(
                "{} names no host: write postgres://USER@HOST[:PORT]/DATABASE",
                PostgresUrl(value.to_owned()).redacted()
            ));
        }
        // sqlx reads the rest (port, database, sslmode, options) and says what it refuses.
        sqlx::postgres::PgConnectOptions::from_str(value)
            .map_err(|error| format!("{}: {error}", PostgresUrl(value.to_owned()).redacted()))?;
        Ok(PostgresUrl(value.to_owned()))
    }
}

/// The database lensgate keeps its state in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created with its folder when missing.
    File(PathBuf),
    Postgres(PostgresUrl),
}

impl FromStr for Location {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.trim().is_empty() {
            return Err("name a SQLite file (lensgate.db) or a postgres:// URL".to_owned());
        }
        // Anything with a scheme is meant as a URL: a typo in it must not become a file path.
        match value.split_once("://") {
            Some(_) => value.parse().map(Location::Postgres),
            None => Ok(Location::File(PathBuf::from(value))),
        }
    }
}

impl Location {
    /// A file that goes with the database: `lensgate.db` → `lensgate-<suffix>` in its folder.
    /// Nothing sits beside a URL, so with PostgreSQL it is `lensgate-<suffix>` in the working
    /// directory.
    pub fn beside(&self, suffix: &str) -> PathBuf {
        match self {
            Location::File(path) => {
                let stem = path
                    .file_stem()
                    .map_or_else(|| "lensgate".into(), |s| s.to_string_lossy());
                path.with_file_name(format!("{stem}-{suffix}"))
            }
            Location::Postgres(_) => PathBuf::from(format!("lensgate-{suffix}")),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => url.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_a_sqlite_file_and_a_postgres_url_is_postgres() {
        assert_eq!(
            "data/lensgate.db".parse::<Location>(),
            Ok(Location::File(PathBuf::from("data/lensgate.db")))
        );
        for url in [
            "postgres://lensgate@db.internal:5432/lensgate",
            "postgresql://lensgate:secret@127.0.0.1/lensgate?sslmode=require",
        ] {
            assert!(
                matches!(url.parse::<Location>(), Ok(Location::Postgres(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn other_schemes_and_hostless_urls_are_refused_with_the_form_to_write() {
        let mysql = "mysql://root@localhost/lensgate"
            .parse::<Location>()
            .unwrap_err();
        assert!(
            mysql.contains("mysql:// is not a PostgreSQL URL"),
            "{mysql}"
        );
        assert!(mysql.contains("postgres://USER"), "{mysql}");
        let hostless = "postgres:///lensgate".parse::<Location>().unwrap_err();
        assert!(hostless.contains("names no host"), "{hostless}");
        let bad_port = "postgres://me@db:notaport/lensgate"
            .parse::<Location>()
            .unwrap_err();
        assert!(
            bad_port.starts_with("postgres://me@db:notaport/lensgate: "),
            "{bad_port}"
        );
    }

    #[test]
    fn the_password_never_shows() {
        let url: PostgresUrl = "postgres://ops:hunter2@db.internal/lensgate"
            .parse()
            .unwrap();
        assert_eq!(url.to_string(), "postgres://ops@db.internal/lensgate");
        assert_eq!(format!("{url:?}"), "postgres://ops@db.internal/lensgate");
        let error = "postgres://ops:hunter2@db:x/lensgate"
            .parse::<PostgresUrl>()
            .unwrap_err();
        assert!(!error.contains("hunter2"), "{error}");
    }
}
