//! Keys and certificates made for these tests with openssl (`req -x509 -nodes`), none used anywhere: the
//! bodies only, so that no file of the repository holds a whole private key block; [`pem`] puts the markers back.

pub const RSA_PKCS8: &str = "\
    MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAOKWJe8dQ/BztOub\
    mxDTgi26MwVVL0z8NnQTXgi7K5JgcOEwpQ6BNocNesegkmVhMJ9/IAeFeshB3G1Y\
    +fpYcbrVl1KHwbF4fFPj8Z2l+/aREQfbWKjflGaxaxrzILCQwSS0hpRf5xLJoIHy\
    VF8xz1gPTCk47uPuyVaDETKYoqg5AgMBAAECgYBJpxLnmfS2mXXqzCbonkgHgyoI\
    hrscZDNzIcSERAsSxqSKnpxYjani1n/dmhVcPO5oOhN4Pmw94iK7rJt9Q/ibbP08\
    UUnODMqMHIj5DkIg5rOn+0INt8eszVqkyWQuMuRxFmdouqhcUIqrSF+EQrHjLvTv\
    LcPQzysg5wPPdV7tvQJBAP3d/PJjKYAfwd4zV8tdaUnTM7/pef52kOEU2iBgixyU\
    Sv+Z4SMkW8XWzPim+FybMc2s3eMCR9qYbPBqOV6BOLMCQQDkfXxL1dIYri36rKw5\
    ikPeMYbf11Xjig3ZYWQwaYIOfa12MH+7Nx/v6W8kvKr0hLm4SiCnkYNlXgL8vha2\
    /tljAkEA00TGmMFFbEcBg/WefrPCR5noWzHmQIpTj71WudMeci5HK+fXoPNFHKPh\
    +Jyb3BWboNrX3W+sdJKdNoZwL+HCWQJAURnxaoGEx1nb3CQ6JVpcaJuvwfgO9mrk\
    K4qUI1Lv5PDbBx6D2BHi9icnWiTVkWEjArTdDl1qBCrwaIGYUm/2/QJBAIN+P6t9\
    v+n/GRaUL3YsvfTZ+eYX6wFS3CMRB28a+ilY0Ug5dfQncDPbjmkzC+j5268g1EJW\
    ysWyqkO72qjYF1w=";

pub const RSA_PKCS1: &str = "\
    MIICXQIBAAKBgQDiliXvHUPwc7Trm5sQ04ItujMFVS9M/DZ0E14IuyuSYHDhMKUO\
    gTaHDXrHoJJlYTCffyAHhXrIQdxtWPn6WHG61ZdSh8GxeHxT4/Gdpfv2kREH21io\
    35RmsWsa8yCwkMEktIaUX+cSyaCB8lRfMc9YD0wpOO7j7slWgxEymKKoOQIDAQAB\
    AoGASacS55n0tpl16swm6J5IB4MqCIa7HGQzcyHEhEQLEsakip6cWI2p4tZ/3ZoV\
    XDzuaDoTeD5sPeIiu6ybfUP4m2z9PFFJzgzKjByI+Q5CIOazp/tCDbfHrM1apMlk\
    LjLkcRZnaLqoXFCKq0hfhEKx4y707y3D0M8rIOcDz3Ve7b0CQQD93fzyYymAH8He\
    M1fLXWlJ0zO/6Xn+dpDhFNogYIsclEr/meEjJFvF1sz4pvhcmzHNrN3jAkfamGzw\
    ajlegTizAkEA5H18S9XSGK4t+qysOYpD3jGG39dV44oN2WFkMGmCDn2tdjB/uzcf\
    7+lvJLyq9IS5uEogp5GDZV4C/L4Wtv7ZYwJBANNExpjBRWxHAYP1nn6zwkeZ6Fsx\
    5kCKU4+9VrnTHnIuRyvn16DzRRyj4ficm9wVm6Da191vrHSSnTaGcC/hwlkCQFEZ\
    8WqBhMdZ29wkOiVaXGibr8H4DvZq5CuKlCNS7+Tw2wceg9gR4vYnJ1ok1ZFhIwK0\
    3Q5dagQq8GiBmFJv9v0CQQCDfj+rfb/p/xkWlC92LL302fnmF+sBUtwjEQdvGvop\
    WNFIOXX0J3Az245pMwvo+duvINRCVsrFsqpDu9qo2Bdc";

pub const EC_SEC1: &str = "\
    MHcCAQEEIJPY83Y5ynduYZ1rY4p/sS88lA/kovgvToHwyI2kQNPloAoGCCqGSM49\
    AwEHoUQDQgAEXlx06JIVuslX7RcixD6YGNN/P30gL5B4hTYN2lYWJiHP61caxfkh\
    zZ0KU32ozrp53cBlZs610BBbhZj2sM4Cbw==";

pub const EC_PKCS8: &str = "\
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgk9jzdjnKd25hnWtj\
    in+xLzyUD+Si+C9OgfDIjaRA0+WhRANCAAReXHTokhW6yVftFyLEPpgY038/fSAv\
    kHiFNg3aVhYmIc/rVxrF+SHNnQpTfajOunndwGVmzrXQEFuFmPawzgJv";

pub const OTHER_RSA: &str = "\
    MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMhk9wyCLkvYEjHT\
    DjAsvChOyGvJOTki6PI1KotzltSDx967WDqwymXaLcHHAB7oPo+WZgeN5sHQUNez\
    tYiyReOHfjiYU4+USWnc6sRSnqkPcRuNpFDcUkg3KkaMXZgmKQAiJ8JHyGnOBpHM\
    AKOE81fdRt/HDQOuuvCOIyU1bMStAgMBAAECgYA1WrRwLyT2apQFkgUADJkYPkmc\
    cRn8PXA6NK+cK21oLaIEimrmTXXGAn4WTs6YbAtkHY4SytQ6nCU6GQ3nVFfI0PIy\
    igs+GmqH99FXgvvCEZf4dEZ4DEXROEeegJqQWo6ZDfstyaiv1zIqLUQHvp7fZFSY\
    S3kzbOyvs50WlHjhAQJBAOtrc5UmSzHwIhd78ltaFx2NShmQ1SS0KdWMYtoIT1jh\
    8+/wLkXBm1WLVWmY5ZRpN0lCJCTDWTx9GfGSdFMYVsECQQDZ6asGpHgxkmtnGzuY\
    PNoqqtlFBrqpOiBYiZ3qoEUpXsMf3B7YVqA6c3CfZ9RvlY5YmYy6i/8Rkg6m0tOS\
    1XTtAkEA0hHf4Yd6MeWFhk8jxEBvv/8D0CxdBZN+gP/0dXpU04tMkR5RLA3G/l6G\
    qOO2eOgqXUSX2/Y0+rTnIZj+E+f0AQJBAMiJQEm5m57LByn4psw/2+n+FjpuqeLI\
    SjIQWxIrcdpTia/NK1mdxpBj4hXgQGB7umaQ0DBwW0g5KGCfjfMHmzUCQQDeHQKB\
    ypVuRGZIPY522I7xcg7dhyMTzqfl4gx5o2RHPcTupY7XnwagcLtn6/nKHcuSUkJw\
    w4FyWAB1J3VrAmnS";

pub const RSA_LOCAL_CERT: &str = "\
    MIICIDCCAYmgAwIBAgIUe76NUgu0nGeQjxxQpXybul3vA0IwDQYJKoZIhvcNAQEL\
    BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MB4XDTI2MTIwNjIzMTA1NVoXDTM2MTIw\
    MzIzMTA1NVowFDESMBAGA1UEAwwJbG9jYWxob3N0MIGfMA0GCSqGSIb3DQEBAQUA\
    A4GNADCBiQKBgQDiliXvHUPwc7Trm5sQ04ItujMFVS9M/DZ0E14IuyuSYHDhMKUO\
    gTaHDXrHoJJlYTCffyAHhXrIQdxtWPn6WHG61ZdSh8GxeHxT4/Gdpfv2kREH21io\
    35RmsWsa8yCwkMEktIaUX+cSyaCB8lRfMc9YD0wpOO7j7slWgxEymKKoOQIDAQAB\
    o28wbTAdBgNVHQ4EFgQUx+RSqUyRyjDP/ygyv8XOgD6+gCkwHwYDVR0jBBgwFoAU\
    x+RSqUyRyjDP/ygyv8XOgD6+gCkwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzAR\
    gglsb2NhbGhvc3SHBH8AAAEwDQYJKoZIhvcNAQELBQADgYEAvlgrXZFh30F8V9Ty\
    TJODjkzQDg6vAZgU5meMPtxmiPz00NhhC3YuJcu+Mz68jDAHKImb2apMP73ueYKF\
    l6+epbXCIDXOKDo42WQzRxBmAKI7qHUzjj7b2YvOfb7Vk2MsuCBmS7ZqTvaI6NC1\
    bxtc6R/KMA/9Jk7i2pgA+e2+4U4=";

pub const RSA_PUBLIC_NAME_CERT: &str = "\
    MIICNTCCAZ6gAwIBAgIUedHYcUktjzAdSDsARcimA6U2HoAwDQYJKoZIhvcNAQEL\
    BQAwHTEbMBkGA1UEAwwSYXBpLnNlcnZpY2UuZ292LnVrMB4XDTI2MTIwNjIzMTA1\
    NVoXDTM2MTIwMzIzMTA1NVowHTEbMBkGA1UEAwwSYXBpLnNlcnZpY2UuZ292LnVr\
    MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDiliXvHUPwc7Trm5sQ04ItujMF\
    VS9M/DZ0E14IuyuSYHDhMKUOgTaHDXrHoJJlYTCffyAHhXrIQdxtWPn6WHG61ZdS\
    h8GxeHxT4/Gdpfv2kREH21io35RmsWsa8yCwkMEktIaUX+cSyaCB8lRfMc9YD0wp\
    OO7j7slWgxEymKKoOQIDAQABo3IwcDAdBgNVHQ4EFgQUx+RSqUyRyjDP/ygyv8XO\
    gD6+gCkwHwYDVR0jBBgwFoAUx+RSqUyRyjDP/ygyv8XOgD6+gCkwDwYDVR0TAQH/\
    BAUwAwEB/zAdBgNVHREEFjAUghJhcGkuc2VydmljZS5nb3YudWswDQYJKoZIhvcN\
    AQELBQADgYEADS/BESyeG7tdUdPw0jyRwC/+dLnz1BiTw8G3kdMfif05MYenJ0tH\
    ETqjUlfZHm3n2Hd2peGVCgWW4QCcxSc8UpxWHcP/E5n7CTVei/Q0i1mkWC6VOn0a\
    tjXH3iLDEne5iPfVpQCsE6jUQqVcXfGDPHszKjJeX1jZ5YlTM0qTUnk=";

pub const RSA_CA_ISSUED_CERT: &str = "\
    MIIBrTCCARYCFE8lH4bIJ9XOr+FaivtGeudvhrJOMA0GCSqGSIb3DQEBCwUAMBcx\
    FTATBgNVBAMMDExvY2FsIERldiBDQTAeFw0yNjEyMDYyMzEwNTlaFw0zNjEyMDMy\
    MzEwNTlaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDCBnzANBgkqhkiG9w0BAQEFAAOB\
    jQAwgYkCgYEA4pYl7x1D8HO065ubENOCLbozBVUvTPw2dBNeCLsrkmBw4TClDoE2\
    hw16x6CSZWEwn38gB4V6yEHcbVj5+lhxutWXUofBsXh8U+PxnaX79pERB9tYqN+U\
    ZrFrGvMgsJDBJLSGlF/nEsmggfJUXzHPWA9MKTju4+7JVoMRMpiiqDkCAwEAATAN\
    BgkqhkiG9w0BAQsFAAOBgQCqpbqabhHpIBALAZcEszlKnkFSn7w5mtaoQ+S33UhO\
    VnmCyY6+fw3P2q+vDdggmGcFVhiR11lBFUAy5sA4qhuLTUuFSKUsb8x8zvxGPeSU\
    KkxglRvQ4qYTQP/55vvG4DPACgZHmf1IQpvJEesGxkVEIU8zkQBiD2fu5lp6KmHt\
    kA==";

pub const EC_ONE_LABEL_CERT: &str = "\
    MIIBrTCCAVOgAwIBAgIUV8SKx0GS/nYOEn5ITdq1ytOJJ28wCgYIKoZIzj0EAwIw\
    LDEUMBIGA1UECgwLQ29tcGFueU5hbWUxFDASBgNVBAMMC2h0dHBzLXByb3h5MB4X\
    DTI2MTIwNjIzMTA1NloXDTM2MTIwMzIzMTA1NlowLDEUMBIGA1UECgwLQ29tcGFu\
    eU5hbWUxFDASBgNVBAMMC2h0dHBzLXByb3h5MFkwEwYHKoZIzj0CAQYIKoZIzj0D\
    AQcDQgAEXlx06JIVuslX7RcixD6YGNN/P30gL5B4hTYN2lYWJiHP61caxfkhzZ0K\
    U32ozrp53cBlZs610BBbhZj2sM4Cb6NTMFEwHQYDVR0OBBYEFGNEwK34xmLtvTxU\
    U6w+jkZ9DSiMMB8GA1UdIwQYMBaAFGNEwK34xmLtvTxUU6w+jkZ9DSiMMA8GA1Ud\
    EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAOTaT3pWqJPOQExCp2Skmh7b\
    g1FnqEG1RftCuBjvSlL/AiBi4Dbyg46S19txrsoV89unvXM7L5ZHt6wALZBsv1xZ\
    UQ==";

/// CA-issued (a made-up public authority) for `localhost.devstack.cloud` and names under it: the loopback name of a zone.
pub const RSA_LOOPBACK_ZONE_CERT: &str = "\
    MIICgTCCAeqgAwIBAgIUI4f4HSFFIJh7SrDimAeifpSR4HAwDQYJKoZIhvcNAQEL\
    BQAwMTEaMBgGA1UECgwRRXhhbXBsZSBQdWJsaWMgQ0ExEzARBgNVBAMMCkV4YW1w\
    bGUgUjMwHhcNMjYxMjA3MDIxMjAzWhcNMzYxMjA0MDIxMjAzWjAjMSEwHwYDVQQD\
    DBhsb2NhbGhvc3QuZGV2c3RhY2suY2xvdWQwgZ8wDQYJKoZIhvcNAQEBBQADgY0A\
    MIGJAoGBAOKWJe8dQ/BztOubmxDTgi26MwVVL0z8NnQTXgi7K5JgcOEwpQ6BNocN\
    esegkmVhMJ9/IAeFeshB3G1Y+fpYcbrVl1KHwbF4fFPj8Z2l+/aREQfbWKjflGax\
    axrzILCQwSS0hpRf5xLJoIHyVF8xz1gPTCk47uPuyVaDETKYoqg5AgMBAAGjgaMw\
    gaAwXgYDVR0RBFcwVYIYbG9jYWxob3N0LmRldnN0YWNrLmNsb3VkghoqLmxvY2Fs\
    aG9zdC5kZXZzdGFjay5jbG91ZIIdKi5zMy5sb2NhbGhvc3QuZGV2c3RhY2suY2xv\
    dWQwHQYDVR0OBBYEFMfkUqlMkcowz/8oMr/FzoA+voApMB8GA1UdIwQYMBaAFHzo\
    EksK/z8WrnSBTXsNc80krB4LMA0GCSqGSIb3DQEBCwUAA4GBAG67Q/UeFJWsn2qx\
    CSJF3jwMZCiu8YpG/qZDcb+gHoxlhUCAy4Coirgc+g9bEcsU+TPNw9sWT00U7sFZ\
    0V9K5xQfz80wkI9bP4ymGs9ZTzVqLMMZiesPHAfN7l/oSBgBhxhMjvIMugh670yI\
    jcDtAVAWTQTPvMWx77Y/Jy1xEh0i";
/// CA-issued for `localhost.devstack.cloud` and also `api.devstack.cloud`, a name of the zone itself.
pub const RSA_LOOPBACK_AND_PUBLIC_CERT: &str = "\
    MIICWDCCAcGgAwIBAgIUI4f4HSFFIJh7SrDimAeifpSR4HEwDQYJKoZIhvcNAQEL\
    BQAwMTEaMBgGA1UECgwRRXhhbXBsZSBQdWJsaWMgQ0ExEzARBgNVBAMMCkV4YW1w\
    bGUgUjMwHhcNMjYxMjA3MDIxMjAzWhcNMzYxMjA0MDIxMjAzWjAjMSEwHwYDVQQD\
    DBhsb2NhbGhvc3QuZGV2c3RhY2suY2xvdWQwgZ8wDQYJKoZIhvcNAQEBBQADgY0A\
    MIGJAoGBAOKWJe8dQ/BztOubmxDTgi26MwVVL0z8NnQTXgi7K5JgcOEwpQ6BNocN\
    esegkmVhMJ9/IAeFeshB3G1Y+fpYcbrVl1KHwbF4fFPj8Z2l+/aREQfbWKjflGax\
    axrzILCQwSS0hpRf5xLJoIHyVF8xz1gPTCk47uPuyVaDETKYoqg5AgMBAAGjezB5\
    MDcGA1UdEQQwMC6CGGxvY2FsaG9zdC5kZXZzdGFjay5jbG91ZIISYXBpLmRldnN0\
    YWNrLmNsb3VkMB0GA1UdDgQWBBTH5FKpTJHKMM//KDK/xc6APr6AKTAfBgNVHSME\
    GDAWgBR86BJLCv8/Fq50gU17DXPNJKweCzANBgkqhkiG9w0BAQsFAAOBgQBF7pZF\
    l/ru/rW0mH4G6GJZq9132hh60Djhsvasjo51iGOBuihfinxRTs025IZlqzTBeB5K\
    f6RpWHjfDm7WxIBDLsya2JIH4cGUFmYzFW6zKyR6YXYXypLHL5jpKw45CRVmtv8r\
    xpvXB43FhP6fYC2HnkSDzHC3NfpUpISCkEzIfA==";
/// CA-issued for `localhost.direct`: `localhost` is the registered domain's own label, not a name in a zone.
pub const RSA_LOCALHOST_DOMAIN_CERT: &str = "\
    MIICSDCCAbGgAwIBAgIUI4f4HSFFIJh7SrDimAeifpSR4HIwDQYJKoZIhvcNAQEL\
    BQAwMTEaMBgGA1UECgwRRXhhbXBsZSBQdWJsaWMgQ0ExEzARBgNVBAMMCkV4YW1w\
    bGUgUjMwHhcNMjYxMjA3MDIxMjAzWhcNMzYxMjA0MDIxMjAzWjAbMRkwFwYDVQQD\
    DBBsb2NhbGhvc3QuZGlyZWN0MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDi\
    liXvHUPwc7Trm5sQ04ItujMFVS9M/DZ0E14IuyuSYHDhMKUOgTaHDXrHoJJlYTCf\
    fyAHhXrIQdxtWPn6WHG61ZdSh8GxeHxT4/Gdpfv2kREH21io35RmsWsa8yCwkMEk\
    tIaUX+cSyaCB8lRfMc9YD0wpOO7j7slWgxEymKKoOQIDAQABo3MwcTAvBgNVHREE\
    KDAmghBsb2NhbGhvc3QuZGlyZWN0ghIqLmxvY2FsaG9zdC5kaXJlY3QwHQYDVR0O\
    BBYEFMfkUqlMkcowz/8oMr/FzoA+voApMB8GA1UdIwQYMBaAFHzoEksK/z8WrnSB\
    TXsNc80krB4LMA0GCSqGSIb3DQEBCwUAA4GBAJKyEbQxHXz5qkPHWzDUHWfx2Jra\
    autgfMG8U4GQJeQUzSXMpbpNvHTfb2EA4v6DiETc7+7jzfTifzxOee6cMDIdFNR6\
    21JaJjWcwpVMWeK/Gu9grnbNpc/7li+8sxT8S+33YKMF6fJpDopZ/SjEP2ChTKCL\
    tZo8B5iZI3yBMUlA";

/// The public half of [`RSA_PKCS8`] as a SubjectPublicKeyInfo (`openssl pkey -pubout`).
pub const RSA_SPKI: &str = "\
    MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDiliXvHUPwc7Trm5sQ04ItujMFVS9M/DZ0E14IuyuSYHDhMKUOgTaHDXrHoJJlYTCffyAH\
    hXrIQdxtWPn6WHG61ZdSh8GxeHxT4/Gdpfv2kREH21io35RmsWsa8yCwkMEktIaUX+cSyaCB8lRfMc9YD0wpOO7j7slWgxEymKKoOQIDAQAB";

/// The public half of [`RSA_PKCS8`] as a PKCS#1 `RSAPublicKey` (`openssl rsa -RSAPublicKey_out`).
pub const RSA_PKCS1_PUBLIC: &str = "\
    MIGJAoGBAOKWJe8dQ/BztOubmxDTgi26MwVVL0z8NnQTXgi7K5JgcOEwpQ6BNocNesegkmVhMJ9/IAeFeshB3G1Y+fpYcbrVl1KHwbF4fFPj\
    8Z2l+/aREQfbWKjflGaxaxrzILCQwSS0hpRf5xLJoIHyVF8xz1gPTCk47uPuyVaDETKYoqg5AgMBAAE=";

/// An Ed25519 key made with `ssh-keygen -t ed25519 -N ''`: the base64 of its OpenSSH private key file (the body
/// between the markers, one line) and of its public key (what follows `ssh-ed25519 ` in the `.pub` file).
pub const OPENSSH_ED25519_PRIVATE: &str = "\
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACAbMo144LoN3yoONOLp2iDp7nsI\
    PwNOoA+vmstkTFaG4AAAAIhuoS5qbqEuagAAAAtzc2gtZWQyNTUxOQAAACAbMo144LoN3yoONOLp2iDp7nsIPwNOoA+vmstkTFaG4AAAAEAw\
    yIF+GzUF3kIw7YPMpH1Kvp+5rHFsu6wXPiHJjO6j+RsyjXjgug3fKg404unaIOnuewg/A06gD6+ay2RMVobgAAAAAAECAwQF";

/// The public half of [`OPENSSH_ED25519_PRIVATE`].
pub const OPENSSH_ED25519_PUBLIC: &str =
    "AAAAC3NzaC1lZDI1NTE5AAAAIBsyjXjgug3fKg404unaIOnuewg/A06gD6+ay2RMVobg";

/// A PEM block of `label` around `body`, wrapped at 64 characters as openssl writes it.
pub fn pem(label: &str, body: &str) -> String {
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}
