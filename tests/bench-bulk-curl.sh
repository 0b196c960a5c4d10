#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: bench-bulk-curl.sh BASE_URL PRODUCTS_FILE IMAGES_PER_PRODUCT TAG
# The plain way to push many products: a sequential curl loop over the
# calls the bulk run makes. One /v3/product/info/list lookup of every
# product (1000 ids a call), then for each product, one after the other:
# one /v2/product/pictures/import, /v1/product/import/info until the task
# is not pending, one /v2/product/pictures/info. PRODUCTS_FILE holds
# "offer_id product_id" lines. Credentials come from OZON_CLIENT_ID and
# OZON_API_KEY, and reach curl through a private header file, never argv.
# Prints the number of products whose read-back had their first image.
set -euo pipefail
base=$1 products=$2 per_product=$3 tag=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
printf 'Client-Id: %s\nApi-Key: %s\nContent-Type: application/json\n' \
  "$OZON_CLIENT_ID" "$OZON_API_KEY" > "$work/headers"

call () {  # PATH BODY
  curl -sS --fail-with-body -X POST -H @"$work/headers" --data-binary "$2" "$base$1"
}

# The lookup, 1000 ids a call.
split -l 1000 "$products" "$work/chunk."
for chunk in "$work"/chunk.*; do
  ids=$(awk '{ printf "%s\"%s\"", (NR > 1 ? "," : ""), $1 }' "$chunk")
  call /v3/product/info/list "{\"offer_id\":[$ids]}" > /dev/null
done

ok=0
while read -r offer product; do
  images=""
  for i in $(seq 1 "$per_product"); do
    images="$images${images:+,}\"https://cdn.example.net/$tag/$offer-$i.jpg\""
  done
  answer=$(call /v2/product/pictures/import "{\"items\":[{\"offer_id\":\"$offer\",\"images\":[$images],\"color_image\":\"\"}]}")
  task=$(printf '%s' "$answer" | sed -n 's/.*"task_id" *: *\([0-9]*\).*/\1/p')
  while call /v1/product/import/info "{\"task_id\":$task}" | grep -q '"status" *: *"pending"'; do
    :
  done
  if call /v2/product/pictures/info "{\"product_id\":[\"$product\"]}" | grep -q "$tag/$offer-1.jpg"; then
    ok=$((ok + 1))
  fi
done < "$products"
echo "$ok"
