"""Texts the red team's generator writes: the baseline licence, README and code, restriction sentences."""
import os


def lic(name):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'licenses', 'text', name)


MIT = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'res', 'MIT-acme.txt')).read()
MIT_HOLDER = "Acme Digital Ltd"
APACHE = open(lic('Apache-2.0.txt')).read()
BSD3 = open(lic('BSD-3-Clause.txt')).read().replace('<year>','2023').replace('<owner>','Acme Digital Ltd')
OGL = open(lic('OGL-UK-3.0.txt')).read()
README = "# widget\n\nA small tool that turns widgets into gadgets.\n\n## Installation\n\nRun `pip install widget`.\n"
APP = 'def main():\n    print("hello")\n\n\nif __name__ == "__main__":\n    main()\n'
PROPRIETARY = ("Copyright (c) 2023 Acme Digital Ltd. All rights reserved.\n\n"
 "This software and associated documentation files are proprietary and confidential.\n"
 "Unauthorised copying, distribution, modification or use of this software, via any medium,\n"
 "is strictly prohibited.\n")
EULA = ("END USER LICENCE AGREEMENT\n\nThis End User Licence Agreement is between you and Acme Digital Ltd.\n"
 "Acme grants you a personal, non-transferable, non-exclusive licence to use the software on one computer.\n"
 "You may not sublicense, rent, publish, copy or redistribute the software.\n")
DATA_TERMS = ("Data licence\n\nThe data in this folder is supplied by Ordnance Survey under the Public Sector Geospatial Agreement.\n"
 "It may be used by public sector members for their own business only and must not be passed to third parties.\n")

PHRASES = [
 "Not for redistribution.",
 "For internal Acme use only.",
 "This repository is confidential and must not be shared outside Acme Digital Ltd.",
 "Copyright 2023 Acme Digital Ltd. All rights reserved.",
 "You may not publish, copy or distribute this code without written permission from Acme Digital Ltd.",
 "The files in the data folder are owned by Ordnance Survey and are not covered by the MIT licence.",
 "Images in the assets folder are licensed from Getty Images and may not be reused.",
 "Reuse of this code requires a signed agreement with Acme Digital Ltd.",
 "Commercial use is prohibited.",
 "The MIT licence applies to the documentation only; the source code is proprietary.",
 "This code is provided for evaluation purposes only.",
 "Do not fork or mirror this repository.",
 "Permission must first be obtained in writing from the Head of Digital.",
 "This software remains the property of Acme Digital Ltd and is lent to you, not given.",
 "The fonts in this repository are licensed for use on acme.gov.uk only.",
 "OFFICIAL-SENSITIVE: not for public release.",
 "Distribution is limited to named partners.",
 "The licence granted above has been withdrawn.",
 "Only employees of Acme may use this software.",
 "Third-party content in the vendor folder is subject to its own terms, which do not allow redistribution.",
 "Licensed under the Acme Proprietary Licence.",
 "This work may be used for non-commercial purposes only.",
 "No part of this repository may be reproduced without the prior consent of the copyright owner.",
 "Source available for reference only; no licence is granted.",
 "Copying is permitted only within the UK public sector.",
 "Contains data supplied under a PSGA licence which must not be shared with third parties.",
 "Pending legal review: the licence of this repository has not yet been decided.",
 "This project was published in error and any copies must be deleted.",
 "Redistribution in source form requires payment of a fee to Acme.",
 "The MIT licence does not apply to this repository.",
 "Crown copyright. Reproduction prohibited.",
 "Use of this code is governed by the contract between Acme and the Department.",
]
