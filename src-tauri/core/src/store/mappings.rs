//! What people mapped: marketplace customers to ConnectWise companies, marketplace products to
//! catalog items. Kept per profile and reused for every later task.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

pub fn company_for(conn: &Connection, customer_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT company_id FROM customer_mappings WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_company(conn: &Connection, customer_id: &str, company_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO customer_mappings (customer_id, company_id, mapped_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(customer_id) DO UPDATE SET company_id = excluded.company_id, mapped_at = excluded.mapped_at",
        params![customer_id, company_id, now],
    )?;
    Ok(())
}

/// Every customer mapping: customer id -> company id.
pub fn companies(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached("SELECT customer_id, company_id FROM customer_mappings")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_product(conn: &Connection, product_key: &str, catalog_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO product_mappings (product_key, catalog_id, mapped_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(product_key) DO UPDATE SET catalog_id = excluded.catalog_id, mapped_at = excluded.mapped_at",
        params![product_key, catalog_id, now],
    )?;
    Ok(())
}

/// Every product mapping: product key -> catalog item id.
pub fn products(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached("SELECT product_key, catalog_id FROM product_mappings")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
