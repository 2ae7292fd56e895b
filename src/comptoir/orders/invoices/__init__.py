"""Order invoices (spec 12.13): sellers attach the invoices they produced to their orders, one file or
a bulk import checked by a job."""
