//! The append-only checkpoint file: one JSON line per checkpoint, appended and synced, never
//! rewritten. It can live on another disk than the database (`--checkpoint-dir`), so a copy of
//! the evidence survives whoever edits the database file.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use super::Checkpoint;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "the checkpoint folder {0} does not exist: create it (or mount its disk), or point --checkpoint-dir at another folder"
    )]
    MissingFolder(PathBuf),
    #[error("cannot write the checkpoint file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the checkpoint file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("line {line} of {path} is not a checkpoint: {reason}")]
    Malformed {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

pub struct CheckpointFile {
    path: PathBuf,
}

/// A checkpoint as read back, with the line it was on.
pub struct Line {
    pub number: usize,
    pub checkpoint: Checkpoint,
}

impl CheckpointFile {
    pub fn new(path: PathBuf) -> Self {
        CheckpointFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks that the file can be written: its folder exists and it opens for appending.
    /// The folder is never created, so a disk that is not mounted is noticed, not replaced
    /// by a folder on the wrong disk.
    pub fn check_writable(&self) -> Result<(), FileError> {
        let folder = self.path.parent().unwrap_or_else(|| Path::new("."));
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if !folder.is_dir() {
            return Err(FileError::MissingFolder(folder.to_owned()));
        }
        self.open_for_append().map(drop)
    }

    /// Appends `checkpoint` as one line, in one write, and syncs it to the disk.
    pub fn append(&self, checkpoint: &Checkpoint) -> Result<(), FileError> {
        let mut line = serde_json::to_string(checkpoint).map_err(|e| FileError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line.push('\n');
        let mut file = self.open_for_append()?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|source| FileError::Write {
                path: self.path.clone(),
                source,
            })
    }

    /// Every checkpoint in the file, in the order written; `None` when there is no file.
    pub fn read(&self) -> Result<Option<Vec<Line>>, FileError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(FileError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                serde_json::from_str(line)
                    .map(|checkpoint| Line {
                        number: index + 1,
                        checkpoint,
                    })
                    .map_err(|e| FileError::Malformed {
                        path: self.path.clone(),
                        line: index + 1,
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    fn open_for_append(&self) -> Result<std::fs::File, FileError> {
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(|source| FileError::Write {
                path: self.path.clone(),
                source,
            })
    }
}
