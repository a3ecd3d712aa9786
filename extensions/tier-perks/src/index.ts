// Shopify CLI's JavaScript build imports each toml `export` from here, camel-cased.
export * from "./cart_lines_discounts_generate_run";
export * from "./cart_delivery_options_discounts_generate_run";
