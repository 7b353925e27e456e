"""The promise (medborgarlöftet): commitments per party, activities on places, indicators and follow-up."""
