"""The Scrapy project of pacsjobs: spiders fetch and paginate; pacsjobs parses and stores."""
