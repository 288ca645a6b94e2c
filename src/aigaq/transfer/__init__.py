"""Records in and out: spreadsheet import (`aigaq import FILE.csv|.xlsx`) and the
instance-to-instance exchange format (`aigaq export|import FILE.jsonl`).

readers.py opens CSV/XLSX files as streams of rows, mapping.py maps their columns to fields,
validate.py checks each row, load.py writes them, dedup.py proposes matches for review;
exchange.py reads and writes the exchange format (schema/aigaq-exchange-1.0.schema.json).
"""
