module multicloud.example/peers/chocon

go 1.24
