module scale

go 1.19
