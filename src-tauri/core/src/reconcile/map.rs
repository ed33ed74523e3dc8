//! Mapping from the Reconcile screen: a customer to a ConnectWise company, a product to a catalog
//! item, with ranked suggestions; after a mapping the cached subscriptions are compared again
//! so the book reflects it at once (a customer's company's additions are read first when
//! ConnectWise can be reached: see [`crate::reconcile::run::read_company_additions`]).

use rusqlite::Connection;

use crate::error::{Error, ErrorField, Result};
use crate::reconcile::present::CustomerView;
use crate::reconcile::run::{self, compare_cached};
use crate::reconcile::{CustomerReconcile, Settings};
use crate::review::Directory;
use crate::store::{self, mappings};
use crate::view::{CatalogOption, CompanyOption};
use crate::wizard::{self, catalog_option};

/// How many ranked suggestions a product gets before anything is typed.
const SUGGESTIONS: usize = 10;

/// The customer's last reconcile, or why there is none.
fn reconciled(conn: &Connection, customer_id: &str) -> Result<CustomerReconcile> {
    store::reconcile::result(conn, customer_id)?
        .map(|(c, _)| c)
        .ok_or_else(|| {
            Error::NotFound(format!(
                "A reconcile of customer {customer_id} (reconcile the book first)"
            ))
        })
}

/// The name of one of the customer's products, or why it has none of that key.
fn product_name(c: &CustomerReconcile, product_key: &str) -> Result<String> {
    c.products
        .iter()
        .find(|p| p.marketplace.product_key == product_key)
        .map(|p| p.marketplace.product_name.clone())
        .ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::Product,
                format!(
                    "{} has no product {product_key} in the last reconcile; reconcile again.",
                    c.customer_name
                ),
            )
        })
}

/// Companies for the customer, best match first; those containing `text` when it is set.
pub fn company_options(
    conn: &Connection,
    directory: &Directory,
    customer_id: &str,
    text: &str,
) -> Result<Vec<CompanyOption>> {
    crate::validate::search(text)?;
    let c = reconciled(conn, customer_id)?;
    Ok(wizard::search_companies(
        &directory.companies,
        &c.customer_name,
        text,
    ))
}

/// Catalog items for one of the customer's products: ranked by its part number and name when
/// nothing is typed, else the active items containing `text`.
pub fn catalog_options(
    conn: &Connection,
    directory: &Directory,
    customer_id: &str,
    product_key: &str,
    text: &str,
) -> Result<Vec<CatalogOption>> {
    crate::validate::search(text)?;
    let c = reconciled(conn, customer_id)?;
    let name = product_name(&c, product_key)?;
    if !text.trim().is_empty() {
        return Ok(wizard::search_catalog(&directory.catalog, text));
    }
    Ok(directory
        .catalog
        .rank(product_key, &name, SUGGESTIONS)
        .into_iter()
        .filter(|r| !r.item.inactive_flag)
        .map(|r| catalog_option(r.item, Some(r.score)))
        .collect())
}

/// Maps the customer to the company (compare it then, with [`compare_customer`], once what
/// the company's agreements hold is read).
pub fn map_company(
    conn: &mut Connection,
    directory: &Directory,
    customer_id: &str,
    company_id: i64,
    now: &str,
) -> Result<()> {
    reconciled(conn, customer_id)?;
    if !directory
        .companies
        .companies()
        .iter()
        .any(|c| c.id == company_id)
    {
        return Err(Error::invalid(
            crate::error::ReviewField::Company,
            format!(
                "Company {company_id} is not among the ConnectWise companies read; reconcile again to read them."
            ),
        ));
    }
    mappings::set_company(conn, customer_id, company_id, now)?;
    Ok(())
}

/// Compares the cache again (offline) and returns the customer.
pub fn compare_customer(
    conn: &mut Connection,
    customer_id: &str,
    settings: Settings,
    now: &str,
) -> Result<CustomerView> {
    compare_cached(conn, settings, now)?;
    run::customer(conn, customer_id, now)
}

/// Maps the product (for every customer) to the catalog item, compares the cache again and
/// returns the customer it was mapped from.
pub fn map_product(
    conn: &mut Connection,
    directory: &Directory,
    customer_id: &str,
    product_key: &str,
    catalog_id: i64,
    settings: Settings,
    now: &str,
) -> Result<CustomerView> {
    let c = reconciled(conn, customer_id)?;
    product_name(&c, product_key)?;
    match directory.catalog.items().iter().find(|i| i.id == catalog_id) {
        None => {
            return Err(Error::invalid(
                ErrorField::CatalogItem,
                format!(
                    "Catalog item {catalog_id} is not among the ConnectWise catalog items read; reconcile again to read them."
                ),
            ))
        }
        Some(item) if item.inactive_flag => {
            return Err(Error::invalid(
                ErrorField::CatalogItem,
                format!(
                    "Catalog item {} is inactive in ConnectWise; choose an active one.",
                    item.identifier
                ),
            ))
        }
        Some(_) => {}
    }
    mappings::set_product(conn, product_key, catalog_id, now)?;
    compare_customer(conn, customer_id, settings, now)
}
