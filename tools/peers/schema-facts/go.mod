module multicloud.local/schema-facts

go 1.26
