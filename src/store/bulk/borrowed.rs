//! Statements that bind their text values without copying them, for the rows a bulk import
//! writes for every contact.
//!
//! rusqlite binds every text as `SQLITE_TRANSIENT`: SQLite copies it into memory of its own,
//! which it allocates for the value and frees when the parameter is bound again, so each
//! text bound costs an allocation, a copy and a free. A contact's row, its details, its
//! search row and its kept lines are about twenty texts; at 20k cards the binds were 7 % of
//! the instructions of the import's writing thread, the longest (bound in place, the thread
//! does 4.6 % fewer: 1.866 → 1.780 G, callgrind). A [`Borrowed`] statement binds them as
//! `SQLITE_STATIC` instead, which SQLite reads in place, and is sound because
//! [`Borrowed::execute`] binds every parameter and runs the statement within one call, while
//! the values it was lent are borrowed, and clears the bindings before it returns.

use std::ffi::{CStr, c_int};
use std::ptr;

use rusqlite::{Connection, ffi};

use crate::error::Result;

/// A value bound to one parameter of a [`Borrowed`] statement.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Integer(i64),
    Text(&'a str),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Value::Null, Value::Text)
    }
}

impl<'a> From<&'a Option<String>> for Value<'a> {
    fn from(s: &'a Option<String>) -> Self {
        s.as_deref().into()
    }
}

impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Integer(n)
    }
}

impl From<Option<i64>> for Value<'_> {
    fn from(n: Option<i64>) -> Self {
        n.map_or(Value::Null, Value::Integer)
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Integer(n) => ValueRef::Integer(n),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// A prepared statement of `conn` that writes rows and returns none.
pub struct Borrowed<'c> {
    conn: &'c Connection,
    stmt: *mut ffi::sqlite3_stmt,
    /// How many parameters it has: [`Borrowed::execute`] binds every one, every time.
    parameters: usize,
}

impl<'c> Borrowed<'c> {
    pub fn prepare(conn: &'c Connection, sql: &str) -> Result<Borrowed<'c>> {
        let len = c_int::try_from(sql.len()).map_err(|_| {
            rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None)
        })?;
        let mut stmt = ptr::null_mut();
        // SAFETY: `conn`'s handle is open for as long as `conn` is borrowed; `sql` is valid
        // for `len` bytes; `stmt` receives the statement or stays null.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                conn.handle(),
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT as _,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            // SAFETY: as above; finalizing null is a no-op.
            unsafe { ffi::sqlite3_finalize(stmt) };
            return Err(error(
                conn,
                if rc == ffi::SQLITE_OK {
                    ffi::SQLITE_MISUSE
                } else {
                    rc
                },
            )
            .into());
        }
        // SAFETY: `stmt` is the live statement just prepared.
        let parameters = unsafe { ffi::sqlite3_bind_parameter_count(stmt) };
        Ok(Borrowed {
            conn,
            stmt,
            parameters: usize::try_from(parameters).unwrap_or(0),
        })
    }

    /// Bind `values` to parameters ?1, ?2, ... in order (one for each of its parameters), run
    /// the statement to its end, reset it and clear its bindings: SQLite holds pointers into
    /// `values` only within the call.
    pub fn execute(&mut self, values: &[Value<'_>]) -> Result<()> {
        if values.len() != self.parameters {
            return Err(
                rusqlite::Error::InvalidParameterCount(values.len(), self.parameters).into(),
            );
        }
        let result = self.bind_and_step(values);
        // SAFETY: `self.stmt` is a live statement of this connection; resetting it ends its
        // run (its error, if any, was taken from the step), and clearing its bindings leaves
        // no pointer into `values` behind once they are no longer lent.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
        result
    }

    fn bind_and_step(&mut self, values: &[Value<'_>]) -> Result<()> {
        for (index, value) in values.iter().enumerate() {
            let n = c_int::try_from(index + 1).unwrap_or(c_int::MAX);
            // SAFETY: `self.stmt` is live; a text is valid for its length while the statement
            // runs, within `execute`, which is all SQLite reads it for.
            let rc = unsafe {
                match *value {
                    Value::Null => ffi::sqlite3_bind_null(self.stmt, n),
                    Value::Integer(i) => ffi::sqlite3_bind_int64(self.stmt, n, i),
                    Value::Text(s) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        n,
                        s.as_ptr().cast(),
                        s.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error(self.conn, rc).into());
            }
        }
        // SAFETY: `self.stmt` is live, its parameters bound above.
        match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_DONE => Ok(()),
            ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults.into()),
            rc => Err(error(self.conn, rc).into()),
        }
    }
}

impl Drop for Borrowed<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// The error of a call on `conn` that returned `rc`, with SQLite's message.
fn error(conn: &Connection, rc: c_int) -> rusqlite::Error {
    // SAFETY: the handle is open; SQLite's message is a NUL-terminated string it owns,
    // copied here before any other call on the connection.
    let message = unsafe {
        let text = ffi::sqlite3_errmsg(conn.handle());
        (!text.is_null()).then(|| CStr::from_ptr(text).to_string_lossy().into_owned())
    };
    // The extended code, as rusqlite reports it (a constraint's kind, for one).
    // SAFETY: as above.
    let code = unsafe { ffi::sqlite3_extended_errcode(conn.handle()) };
    let code = if code & 0xff == rc & 0xff { code } else { rc };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use super::{Borrowed, Value};
    use rusqlite::Connection;

    #[test]
    fn binds_every_kind_of_value_and_reports_sqlites_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a TEXT UNIQUE, b INTEGER, c TEXT)")
            .unwrap();
        let mut insert =
            Borrowed::prepare(&conn, "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)").unwrap();
        for (a, b) in [("é ünïcode", Some(7)), ("", None)] {
            let text = a.to_string();
            insert
                .execute(&[text.as_str().into(), b.into(), Value::Null])
                .unwrap();
        }
        let rows: Vec<(String, Option<i64>, Option<String>)> = conn
            .prepare("SELECT a, b, c FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            [
                ("é ünïcode".into(), Some(7), None),
                (String::new(), None, None)
            ]
        );
        // One value short: refused before anything is bound.
        assert!(insert.execute(&["x".into(), Value::Null]).is_err());
        // A constraint: SQLite's error, and the statement is usable after it.
        let err = insert
            .execute(&["é ünïcode".into(), Value::Null, Value::Null])
            .unwrap_err();
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        insert.execute(&["z".into(), 1.into(), "c".into()]).unwrap();
        assert!(Borrowed::prepare(&conn, "INSERT INTO nowhere VALUES (?1)").is_err());
    }
}
