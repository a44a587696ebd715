# Downloads one file and checks it against its SHA-256 (a pinned test dependency, such as the
# WireMock jar the interop tests run). The pinned hash is what makes the file trustworthy, so the
# TLS certificate is not verified: build machines behind a TLS-intercepting egress proxy whose CA
# is not in the system store (a fresh CI root) could not fetch it otherwise, and a tampered or
# truncated file still fails the hash check.
#   cmake -DURL=https://… -DOUT=/path/file -DSHA256=<hex> -P download.cmake
foreach(variable URL OUT SHA256)
    if(NOT DEFINED ${variable})
        message(FATAL_ERROR "download.cmake: -D${variable}=… is required")
    endif()
endforeach()
file(DOWNLOAD "${URL}" "${OUT}.part" EXPECTED_HASH SHA256=${SHA256} TLS_VERIFY OFF
     STATUS status)
list(GET status 0 code)
if(NOT code EQUAL 0)
    list(GET status 1 reason)
    file(REMOVE "${OUT}.part")
    message(FATAL_ERROR "download.cmake: ${URL}: ${reason}")
endif()
file(RENAME "${OUT}.part" "${OUT}")
