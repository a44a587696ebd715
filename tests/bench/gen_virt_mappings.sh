#!/usr/bin/env bash
# Writes N WireMock stub mappings into ROOT/mappings (a WireMock root, files m00001.json …) for
# bench_virt.sh: a mix of what recordings hold — GET by path with a JSON answer (most), GET with
# a query parameter, GET with a header match, POST with an equalToJson body. Request paths are
# /api/items/<i> (i = 1..N); the GET ones are what the load generator asks for.
# Usage: gen_virt_mappings.sh ROOT N
set -euo pipefail
root=${1:?usage: gen_virt_mappings.sh ROOT N}
count=${2:?usage: gen_virt_mappings.sh ROOT N}
mkdir -p "$root/mappings" "$root/__files"
awk -v n="$count" -v dir="$root/mappings" 'BEGIN {
    for (i = 1; i <= n; i++) {
        file = sprintf("%s/m%05d.json", dir, i)
        id = sprintf("00000000-0000-4000-8000-%012d", i)
        body = sprintf("{\\\"id\\\":%d,\\\"name\\\":\\\"item %d\\\",\\\"price\\\":%d.99,\\\"tags\\\":[\\\"a\\\",\\\"b\\\"],\\\"owner\\\":{\\\"email\\\":\\\"user%d@example.net\\\",\\\"region\\\":\\\"eu\\\"}}", i, i, i % 97, i)
        kind = i % 10
        if (kind == 7)
            request = sprintf("\"method\": \"POST\", \"urlPath\": \"/api/items/%d\", \"bodyPatterns\": [{\"equalToJson\": {\"qty\": %d}, \"ignoreExtraElements\": true}]", i, i)
        else if (kind == 8)
            request = sprintf("\"method\": \"GET\", \"urlPath\": \"/api/items/%d\", \"queryParameters\": {\"view\": {\"equalTo\": \"full\"}}", i)
        else if (kind == 9)
            request = sprintf("\"method\": \"GET\", \"urlPath\": \"/api/items/%d\", \"headers\": {\"Accept\": {\"contains\": \"json\"}}", i)
        else
            request = sprintf("\"method\": \"GET\", \"urlPath\": \"/api/items/%d\"", i)
        printf "{\"id\": \"%s\", \"request\": {%s}, \"response\": {\"status\": 200, \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": \"%s\"}}\n", id, request, body > file
        close(file)
    }
}'
